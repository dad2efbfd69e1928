package io.conlimit.target.servers;

import io.conlimit.target.BacklogReport;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerStats;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The machine-parsable lines a server prints. Keys and their order are a contract other tools parse:
 * <pre>serving kind=K address=H:P workers=W queue=Q backlog.requested=R backlog.passed=N
 * backlog.effective=E|unknown backlog.source=ss|unavailable somaxconn=S|unknown hold=HOLD stats=H:P|none</pre>
 * (one line), and on stop
 * <pre>stopped kind=K address=H:P accepted=A in_service=I served=S closed=C queued=Q</pre>
 */
public final class StartLine {
    /** The keys of the {@code serving} line, in their order. */
    public static final List<String> SERVING_KEYS = List.of("kind", "address", "workers", "queue",
            "backlog.requested", "backlog.passed", "backlog.effective", "backlog.source", "somaxconn", "hold", "stats");

    private StartLine() {
    }

    /**
     * Parses a {@code serving ...} line into its key=value pairs, in order.
     *
     * @throws IllegalArgumentException when the line is not a serving line with exactly {@link #SERVING_KEYS}
     */
    public static Map<String, String> parse(String line) {
        String[] parts = line.trim().split(" ");
        if (parts.length != SERVING_KEYS.size() + 1 || !parts[0].equals("serving")) {
            throw new IllegalArgumentException("not a serving line: " + line);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            String key = eq < 0 ? parts[i] : parts[i].substring(0, eq);
            if (eq < 0 || !key.equals(SERVING_KEYS.get(i - 1))) {
                throw new IllegalArgumentException("expected key " + SERVING_KEYS.get(i - 1) + " at position " + i
                        + " of: " + line);
            }
            out.put(key, parts[i].substring(eq + 1));
        }
        return out;
    }

    public static String serving(ServerConfig config, InetSocketAddress address, int workersShown, BacklogReport b,
                                 Optional<InetSocketAddress> stats) {
        return "serving kind=" + config.kind().cliName()
                + " address=" + Addresses.format(address)
                + " workers=" + workersShown
                + " queue=" + config.queue()
                + " backlog.requested=" + b.requested()
                + " backlog.passed=" + b.passed()
                + " backlog.effective=" + (b.effective() < 0 ? "unknown" : Integer.toString(b.effective()))
                + " backlog.source=" + (b.effective() < 0 ? "unavailable" : "ss")
                + " somaxconn=" + (b.somaxconn() < 0 ? "unknown" : Integer.toString(b.somaxconn()))
                + " hold=" + config.hold()
                + " stats=" + stats.map(Addresses::format).orElse("none");
    }

    public static String stopped(ServerConfig config, InetSocketAddress address, ServerStats s) {
        return "stopped kind=" + config.kind().cliName()
                + " address=" + Addresses.format(address)
                + " accepted=" + s.accepted()
                + " in_service=" + s.inService()
                + " served=" + s.served()
                + " closed=" + s.closed()
                + " queued=" + s.queued();
    }
}
