package io.conlimit.results;

import io.conlimit.fleet.Outcome;

import java.util.ArrayList;
import java.util.List;

/**
 * The names inside a run folder and the columns of its CSV files: shared by the writer
 * ({@code io.conlimit.record}) and the reader ({@link ResultsFolder}). Documented in docs/results.md.
 */
public final class ResultsLayout {
    public static final String RUN_JSON = "run.json";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String TIMELINE_CSV = "timeline.csv";
    public static final String CONNECTIONS_CSV = "connections.csv";
    public static final String CONNECTIONS_CSV_GZ = "connections.csv.gz";
    /** Connect latency from the intended start, nanoseconds, one interval histogram per reporting interval. */
    public static final String CONNECT_HLOG = "connect.hlog";
    /** Connect latency from the actual connect() call (service time), nanoseconds. */
    public static final String CONNECT_SERVICE_HLOG = "connect-service.hlog";
    /** Time to first response byte from the connect completion, nanoseconds. */
    public static final String TTFB_HLOG = "ttfb.hlog";
    /** The server kernel's listen queue and counters, one row per sample (about 10 a second). */
    public static final String KERNEL_TIMELINE_CSV = "kernel-timeline.csv";

    /** The connections.csv columns, in order. */
    public static final List<String> CONNECTION_COLUMNS = List.of("id", "phase", "intended_ms", "connect_call_ms",
            "connected_ms", "first_byte_ms", "decided_ms", "closed_ms", "outcome", "syn_retransmits", "local",
            "close", "detail");

    private ResultsLayout() {
    }

    /**
     * The kernel-timeline.csv columns, in order: {@code t_ms, queued, max, <each TcpExtCounters.LISTEN_EVIDENCE
     * counter>} (the counters as deltas from the run's start).
     */
    public static List<String> kernelTimelineColumns() {
        List<String> cols = new ArrayList<>(List.of("t_ms", "queued", "max"));
        cols.addAll(io.conlimit.kernel.TcpExtCounters.LISTEN_EVIDENCE);
        return List.copyOf(cols);
    }

    /**
     * The timeline.csv columns, in order: {@code second, started, <every outcome key>, in_flight, late_starts,
     * connect_p50_ms, connect_p99_ms}.
     */
    public static List<String> timelineColumns() {
        List<String> cols = new ArrayList<>();
        cols.add("second");
        cols.add("started");
        for (Outcome o : Outcome.values()) {
            cols.add(o.key());
        }
        cols.add("in_flight");
        cols.add("late_starts");
        cols.add("connect_p50_ms");
        cols.add("connect_p99_ms");
        return List.copyOf(cols);
    }
}
