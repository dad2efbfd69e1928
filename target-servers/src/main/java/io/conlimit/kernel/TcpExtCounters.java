package io.conlimit.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The namespace's TcpExt counters, as {@code nstat -az} shows them, from the TcpExt line of /proc/net/netstat.
 * Counters count events per network namespace.
 */
public final class TcpExtCounters {
    /** The counters that tell what happened to SYNs at a listener, in display order. */
    public static final List<String> LISTEN_EVIDENCE = List.of(
            "ListenOverflows", "ListenDrops", "TCPReqQFullDoCookies", "TCPReqQFullDrop",
            "SyncookiesSent", "SyncookiesRecv", "SyncookiesFailed", "TCPSynRetrans", "EmbryonicRsts");

    private final Path procNet;
    private final List<String> commandPrefix;
    private final ProcNet open;

    public TcpExtCounters() {
        this(Path.of("/proc/net"));
    }

    /**
     * For tests, or another namespace: read from another directory laid out like /proc/net (e.g.
     * {@code /proc/PID/net} shows the namespace process PID lives in).
     */
    public TcpExtCounters(Path procNet) {
        this.procNet = procNet;
        this.commandPrefix = null;
        this.open = null;
    }

    private TcpExtCounters(List<String> commandPrefix) {
        this.procNet = Path.of("/proc/net");
        this.commandPrefix = List.copyOf(commandPrefix);
        this.open = null;
    }

    private TcpExtCounters(ProcNet open) {
        this.procNet = null;
        this.commandPrefix = null;
        this.open = open;
    }

    /**
     * Reads the netstat file of {@code open} (e.g. {@link ProcNet#in(NetworkNamespace)}: another namespace without a
     * process per reading). The caller keeps {@code open} open while this is used, and closes it.
     */
    public static TcpExtCounters from(ProcNet open) {
        return new TcpExtCounters(Objects.requireNonNull(open, "open"));
    }

    /**
     * Reads /proc/net/netstat through {@code cat} run behind {@code commandPrefix} (e.g. {@code ip netns exec NS}),
     * so that the counters are those of the namespace the command runs in.
     */
    public static TcpExtCounters viaCommand(List<String> commandPrefix) {
        return new TcpExtCounters(commandPrefix);
    }

    /** The counters of namespace {@code ns}. */
    public static TcpExtCounters in(NetworkNamespace ns) {
        return viaCommand(ns.exec(List.of()));
    }

    /** All TcpExt counters by their name without prefix (e.g. {@code ListenOverflows}). */
    public Map<String, Long> read() throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        List<String> lines;
        if (open != null) {
            lines = List.of(open.netstat().split("\n"));
        } else if (commandPrefix == null) {
            lines = Files.readAllLines(procNet.resolve("netstat"));
        } else {
            List<String> command = new ArrayList<>(commandPrefix);
            command.addAll(List.of("cat", "/proc/net/netstat"));
            lines = List.of(Commands.run(command, 5).split("\n"));
        }
        parsePairs(lines, "TcpExt:", out);
        return Collections.unmodifiableMap(out);
    }

    /** The {@link #LISTEN_EVIDENCE} counters only, in that order (0 for those this kernel lacks). */
    public Map<String, Long> readEvidence() throws IOException {
        Map<String, Long> all = read();
        Map<String, Long> out = new LinkedHashMap<>();
        for (String n : LISTEN_EVIDENCE) {
            out.put(n, all.getOrDefault(n, 0L));
        }
        return Collections.unmodifiableMap(out);
    }

    /** One TcpExt counter, 0 when this kernel does not have it. */
    public long read(String name) throws IOException {
        return read().getOrDefault(name, 0L);
    }

    /** {@code after - before} for each name of {@code names}. */
    public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after, List<String> names) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, after.getOrDefault(n, 0L) - before.getOrDefault(n, 0L));
        }
        return out;
    }

    /** /proc/net/netstat and /proc/net/snmp are pairs of lines: names, then values, with the same prefix. */
    static void parsePairs(List<String> lines, String prefix, Map<String, Long> out) {
        for (int i = 0; i + 1 < lines.size(); i++) {
            String names = lines.get(i);
            String values = lines.get(i + 1);
            if (names.startsWith(prefix) && values.startsWith(prefix)) {
                String[] n = names.substring(prefix.length()).trim().split("\\s+");
                String[] v = values.substring(prefix.length()).trim().split("\\s+");
                for (int k = 0; k < Math.min(n.length, v.length); k++) {
                    out.put(n[k], Long.parseLong(v[k]));
                }
                i++;
            }
        }
    }
}
