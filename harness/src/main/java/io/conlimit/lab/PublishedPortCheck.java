package io.conlimit.lab;

import io.conlimit.kernel.Commands;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detects a target that is a port published by Docker on this machine. Connections to it are accepted by
 * Docker's userland proxy (docker-proxy), which only then connects to the container: the container's
 * accept queue, the thing being measured, is hidden behind the proxy's. The harness should refuse or warn
 * and point at the container's own address instead.
 */
public final class PublishedPortCheck {
    private static final Pattern PROXY = Pattern.compile("\\(\\(\"docker-proxy\",pid=(\\d+)");

    private PublishedPortCheck() {
    }

    /**
     * A warning when {@code host:port} is served on this machine by docker-proxy; empty when it is not, when
     * the host is not one of this machine's addresses, or when ss cannot tell (no iproute2, not root).
     */
    public static Optional<String> warning(String host, int port) {
        if (!isLocal(host)) {
            return Optional.empty();
        }
        String ss;
        try {
            ss = Commands.run(List.of("ss", "-Hltnp", "sport = :" + port), 10);
        } catch (IOException e) {
            return Optional.empty();
        }
        return proxyPid(ss).map(pid -> "target " + host + ":" + port + " is a port published by Docker: "
                + "docker-proxy (pid " + pid + ") accepts the connections on the container's behalf, so the "
                + "container's accept queue (its backlog) is hidden. Target the container's own address "
                + "(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' CONTAINER) "
                + "or run the harness in a container on the same network (docker/compose.yaml).");
    }

    /** The pid of the docker-proxy owning a listener in {@code ss -Hltnp} output. */
    static Optional<String> proxyPid(String ssOutput) {
        Matcher m = PROXY.matcher(ssOutput);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Whether {@code host} is a loopback, wildcard or interface address of this network namespace. */
    static boolean isLocal(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isLoopbackAddress() || a.isAnyLocalAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }
}
