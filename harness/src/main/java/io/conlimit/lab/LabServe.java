package io.conlimit.lab;

import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The target server's {@code serve} arguments for a lab: from a {@link ServerConfig} (a scenario's
 * {@code target.lab.server.embedded}) or from words typed on the command line. The lab adds the address and
 * port itself ({@code --bind <server address> --port 8080}), so the words must not carry them.
 */
public final class LabServe {
    private LabServe() {
    }

    /** {@code KIND --backlog B --workers W --hold H ...} for {@code serve}, without --bind and --port. */
    public static List<String> args(ServerConfig c) {
        List<String> a = new ArrayList<>();
        a.add(c.kind().cliName());
        a.addAll(List.of("--backlog", c.backlog().toString(), "--workers", Integer.toString(c.workers()),
                "--hold", c.hold().toString()));
        if (c.kind() == ServerKind.THREAD_POOL) {
            a.addAll(List.of("--queue", Integer.toString(c.queue())));
        }
        if (c.kind() == ServerKind.SLEEPY_ACCEPT) {
            a.addAll(List.of("--accept-delay", io.conlimit.target.Durations.format(c.acceptDelay())));
        }
        if (c.banner() == null) {
            a.add("--no-banner");
        } else if (!c.banner().equals(io.conlimit.target.ServerConfig.DEFAULT_BANNER)) {
            a.addAll(List.of("--banner", c.banner()));
        }
        if (c.echo()) {
            a.add("--echo");
        }
        if (c.respond() != null) {
            a.addAll(List.of("--respond", c.respond()));
        }
        return List.copyOf(a);
    }

    /**
     * Words typed as one text ({@code "blocking-pool --backlog max --workers 2 --hold 200ms"}), split on
     * whitespace; the first is the server kind.
     *
     * @throws IllegalArgumentException naming {@code option} when empty or when it sets --bind/--port/--stats-*
     */
    public static List<String> parse(String option, String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException(option + " needs the server kind and its options, e.g. "
                    + "'blocking-pool --backlog max --workers 2 --hold 200ms'");
        }
        List<String> words = List.of(t.split("\\s+"));
        ServerKind.fromName(words.get(0).toLowerCase(Locale.ROOT)); // names the kinds when unknown
        for (String w : words) {
            String flag = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            if (flag.equals("--bind") || flag.equals("--port") || flag.startsWith("--stats-")) {
                throw new IllegalArgumentException(option + ": " + flag + " is the lab's to choose (the server binds "
                        + "its namespace's address, port " + LabRun.SERVER_PORT + ")");
            }
        }
        return words;
    }
}
