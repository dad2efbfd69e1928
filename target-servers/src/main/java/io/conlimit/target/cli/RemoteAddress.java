package io.conlimit.target.cli;

import io.conlimit.target.servers.Addresses;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What {@code serve} tells a person about to load it from another machine: the address a remote client must target,
 * or a warning that nobody else can connect (a loopback bind), and that an ephemeral port changes at every start.
 */
final class RemoteAddress {
    private RemoteAddress() {
    }

    /**
     * The lines to print after the start line: {@code clients on other machines: --target 198.18.1.1:8080} or a
     * {@code warning: ...} line.
     *
     * @param bound         the listener's bound address and port
     * @param requestedPort the --port given (0 = ephemeral)
     * @param interfaces    this machine's non-loopback addresses (for a wildcard bind), in a stable order
     */
    static List<String> lines(InetSocketAddress bound, int requestedPort, List<InetAddress> interfaces) {
        List<String> out = new ArrayList<>();
        InetAddress a = bound.getAddress();
        int port = bound.getPort();
        String portNote = requestedPort == 0 ? " (port " + port + " was chosen by the kernel and changes at every start: give --port"
                + " to keep it)" : "";
        if (a.isLoopbackAddress()) {
            out.add("warning: listening on " + hostPort(a, port) + " only (loopback): no other machine can connect; for a"
                    + " client on another machine use --bind 0.0.0.0 (or one of this machine's addresses"
                    + (interfaces.isEmpty() ? "" : ", e.g. " + interfaces.get(0).getHostAddress()) + ") and a fixed --port");
            return out;
        }
        List<InetAddress> targets = a.isAnyLocalAddress() ? interfaces : List.of(a);
        if (targets.isEmpty()) {
            out.add("warning: listening on " + hostPort(a, port) + " but this machine has no address other than loopback:"
                    + " no other machine can reach it");
            return out;
        }
        List<String> hp = new ArrayList<>();
        for (InetAddress t : targets) {
            hp.add(hostPort(t, port));
        }
        out.add("clients on other machines: --target " + String.join(" or --target ", hp) + portNote);
        return out;
    }

    private static String hostPort(InetAddress a, int port) {
        return Addresses.format(new InetSocketAddress(a, port));
    }

    /** This machine's addresses other than loopback and link-local, IPv4 first, in interface order; empty on failure. */
    static List<InetAddress> interfaceAddresses() {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback()) {
                    continue;
                }
                for (InetAddress addr : Collections.list(nif.getInetAddresses())) {
                    if (addr.isLoopbackAddress() || addr.isLinkLocalAddress()) {
                        continue;
                    }
                    (addr instanceof Inet4Address ? v4 : v6).add(addr);
                }
            }
        } catch (SocketException e) {
            return List.of();
        }
        v4.addAll(v6);
        return v4;
    }
}
