package io.conlimit.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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
     * than the client targets); empty when several other listeners share the port: never a guess.
     */
    public Optional<ListenSocket> find(String host, int port) throws IOException {
        List<ListenSocket> sockets = onPort(port);
        String wanted = host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
        // a Java (or any dual-stack) socket bound to an IPv4 address shows as [::ffff:a.b.c.d]:port
        String mapped = host.contains(":") ? wanted : "[::ffff:" + host + "]:" + port;
        for (ListenSocket s : sockets) {
            if (s.local().equals(wanted) || s.local().equals(mapped)) {
                return Optional.of(s);
            }
        }
        for (ListenSocket s : sockets) {
            String h = s.local().substring(0, s.local().lastIndexOf(':'));
            if (h.equals("0.0.0.0") || h.equals("*") || h.equals("[::]")) {
                return Optional.of(s);
            }
        }
        return sockets.size() == 1 ? Optional.of(sockets.get(0)) : Optional.empty();
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
