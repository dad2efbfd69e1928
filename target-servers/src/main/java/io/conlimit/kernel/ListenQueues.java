package io.conlimit.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads LISTEN sockets' accept queues from the kernel with iproute2's {@code ss -Hlnt}, which asks
 * inet_diag: the only unprivileged interface that reports a listener's maximum queue (Send-Q).
 * /proc/net/tcp shows the current length only. Runs in this process's network namespace.
 */
public final class ListenQueues {
    private static final List<String> CANDIDATES = List.of("/usr/bin/ss", "/usr/sbin/ss", "/bin/ss", "/sbin/ss");

    private final String ss;
    private final List<String> prefix;

    private ListenQueues(String ss, List<String> prefix) {
        this.ss = ss;
        this.prefix = List.copyOf(prefix);
    }

    /** Empty when iproute2's ss is not installed: callers must say the effective backlog is unknown. */
    public static Optional<ListenQueues> find() {
        for (String c : CANDIDATES) {
            if (Files.isExecutable(Path.of(c))) {
                return Optional.of(new ListenQueues(c, List.of()));
            }
        }
        return Optional.empty();
    }

    /**
     * The same reader, with ss run behind {@code commandPrefix} (e.g. {@code ip netns exec NS}): a JVM cannot
     * enter another network namespace, but the command it starts can.
     */
    public ListenQueues withPrefix(List<String> commandPrefix) {
        return new ListenQueues(ss, commandPrefix);
    }

    /** Reads the listeners of namespace {@code ns} (through {@code ip netns exec}). */
    public ListenQueues in(NetworkNamespace ns) {
        return withPrefix(ns.exec(List.of()));
    }

    /** The command prefix ss runs behind, empty for this process's own namespace. */
    public List<String> prefix() {
        return prefix;
    }

    /** Every TCP listener (IPv4 and IPv6) on {@code port} in this namespace. */
    public List<ListenSocket> onPort(int port) throws IOException {
        return parse(run(command(ss, "-Hlnt", "sport = :" + port)));
    }

    /** Every TCP listener in this namespace. */
    public List<ListenSocket> all() throws IOException {
        return parse(run(command(ss, "-Hlnt")));
    }

    private List<String> command(String... args) {
        List<String> out = new ArrayList<>(prefix);
        out.addAll(List.of(args));
        return out;
    }

    /**
     * The listener on exactly this address and port (an IPv4 address also as the IPv4-mapped form a dual-stack
     * socket shows, {@code [::ffff:127.0.0.1]:port}), or on the wildcard address of its family when none is
     * bound to the address itself, or else the port's only listener (a server behind NAT sees another address
     * than the client targets) unless one of the two is a loopback address and the other is not (a connection to one
     * never reaches a listener bound to the other); empty when several other listeners share the port: never a guess.
     */
    public Optional<ListenSocket> find(String host, int port) throws IOException {
        return match(onPort(port), ListenSocket::local, host, port);
    }

    /**
     * The rules of {@link #find(String, int)} over {@code sockets} (all on {@code port}), whose {@code local} gives
     * the address as {@code ss -n} prints it; shared with the /proc reader so both pick the same listener.
     * An IPv6 {@code host} may be written in any form ({@code 0:0:0:0:0:0:0:1} matches {@code [::1]}).
     */
    static <T> Optional<T> match(List<T> sockets, Function<T, String> local, String host, int port) {
        String h = normalize(host);
        String wanted = h.contains(":") ? "[" + h + "]:" + port : h + ":" + port;
        // a Java (or any dual-stack) socket bound to an IPv4 address shows as [::ffff:a.b.c.d]:port
        String mapped = h.contains(":") ? wanted : "[::ffff:" + h + "]:" + port;
        for (T s : sockets) {
            String l = local.apply(s);
            if (l.equals(wanted) || l.equals(mapped)) {
                return Optional.of(s);
            }
        }
        for (T s : sockets) {
            String l = local.apply(s);
            String a = l.substring(0, l.lastIndexOf(':'));
            if (a.equals("0.0.0.0") || a.equals("*") || a.equals("[::]")) {
                return Optional.of(s);
            }
        }
        if (sockets.size() == 1 && isLoopback(h) == isLoopback(address(local.apply(sockets.get(0))))) {
            return Optional.of(sockets.get(0));
        }
        return Optional.empty();
    }

    /** The address part of {@code a.b.c.d:port}, {@code [v6]:port} or {@code [::ffff:a.b.c.d]:port}, without brackets. */
    static String address(String local) {
        String a = local.substring(0, local.lastIndexOf(':'));
        a = a.startsWith("[") && a.endsWith("]") ? a.substring(1, a.length() - 1) : a;
        return a.startsWith("::ffff:") && a.indexOf('.') > 0 ? a.substring("::ffff:".length()) : a;
    }

    /**
     * Whether a literal address is a loopback one (127.0.0.0/8, ::1, or its IPv4-mapped form). A listener bound there
     * never receives a connection addressed to another address, so it is never taken for a non-loopback target.
     */
    static boolean isLoopback(String host) {
        String h = normalize(host);
        h = h.startsWith("::ffff:") && h.indexOf('.') > 0 ? h.substring("::ffff:".length()) : h;
        return h.startsWith("127.") || h.equals("::1") || h.equals("localhost");
    }

    /** An IPv6 literal in the form ss prints (inet_ntop); anything else unchanged. Never a DNS lookup. */
    static String normalize(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!h.contains(":") || h.contains("%")) {
            return h;
        }
        try {
            // a string with ':' is parsed as an IPv6 literal (or refused), never resolved
            InetAddress a = InetAddress.getByName(h);
            return a instanceof Inet6Address ? ProcNetTcp.ipv6(a.getAddress()) : a.getHostAddress();
        } catch (UnknownHostException e) {
            return h;
        }
    }

    /**
     * The listeners on {@code port} by socket inode ({@code ss -Hlnte}: the {@code ino:} field), so that a socket
     * found in /proc/net/tcp (which has no maximum) can be given its Send-Q.
     */
    public Map<Long, ListenSocket> byInode(int port) throws IOException {
        return parseWithInodes(run(command(ss, "-Hlnte", "sport = :" + port)));
    }

    /** Parses {@code ss -Hlnte} output: the {@code ss -Hlnt} columns, then {@code ino:N} among the extra fields. */
    static Map<Long, ListenSocket> parseWithInodes(String output) {
        Map<Long, ListenSocket> out = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            List<ListenSocket> one = parse(line);
            if (one.isEmpty()) {
                continue;
            }
            for (String f : line.trim().split("\\s+")) {
                if (f.startsWith("ino:")) {
                    try {
                        out.put(Long.parseLong(f.substring(4)), one.get(0));
                    } catch (NumberFormatException e) {
                        // not a number: skip the line
                    }
                    break;
                }
            }
        }
        return out;
    }

    /** Parses {@code ss -Hlnt} output: State Recv-Q Send-Q Local Peer [Process]. */
    static List<ListenSocket> parse(String output) {
        List<ListenSocket> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5 || !f[0].equals("LISTEN")) {
                continue;
            }
            String local = f[3];
            int colon = local.lastIndexOf(':');
            try {
                int port = Integer.parseInt(local.substring(colon + 1));
                out.add(new ListenSocket(local, port, Integer.parseInt(f[1]), Integer.parseInt(f[2])));
            } catch (NumberFormatException e) {
                // a line we do not understand (ss -n always prints numeric ports); skip it
            }
        }
        return out;
    }

    private static String run(List<String> command) throws IOException {
        return Commands.run(command, 5);
    }
}
