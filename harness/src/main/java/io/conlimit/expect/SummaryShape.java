package io.conlimit.expect;

import io.conlimit.fleet.Outcome;
import io.conlimit.kernel.TcpExtCounters;
import io.conlimit.plan.LoadPhase;
import io.conlimit.util.Suggest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys summary.json has when a run's expectations are checked (docs/results.md), so that {@code validate} can
 * refuse an expectation on a path no run of that load produces before anything runs. Keys that come with a load
 * shape ({@code launch_spread_ms} with a burst, {@code held_max}, {@code served_max}, {@code hold_probe_stopped_by}
 * with a hold probe) are known only when the load has that shape. A few sections are open (any key below them is
 * accepted): those whose keys depend on the server's kernel or on the theory ({@code kernel.server_settings},
 * {@code kernel.clock}, {@code consistency.compared}, {@code prediction}, {@code limit}).
 * <p>
 * Not here, on purpose: {@code expectations} (written after the expectations are checked), {@code lab} (added by the
 * lab after the client run and its expectations), {@code warnings}, {@code recording_errors} and
 * {@code incomplete_reason} (lists or texts present only when something went wrong). SummaryShapeTest walks real
 * summaries and fails when a key they have is missing here.
 */
public final class SummaryShape {
    /** One key: its children, or open (anything below it is accepted), or a leaf. */
    private record Key(Map<String, Key> children, boolean open, String onlyWith) {
        static Key leaf() {
            return new Key(Map.of(), false, null);
        }

        static Key openSection() {
            return new Key(Map.of(), true, null);
        }

        static Key of(Map<String, Key> children) {
            return new Key(children, false, null);
        }

        Key onlyWith(String loadShape) {
            return new Key(children, open, loadShape);
        }

        boolean leafValue() {
            return children.isEmpty() && !open;
        }
    }

    private static final List<String> LATENCY = List.of("count", "p50", "p90", "p99", "p999", "max", "mean");

    private final Key root;

    private SummaryShape(Key root) {
        this.root = root;
    }

    /** The summary of a run with these load phases. */
    public static SummaryShape of(List<LoadPhase> phases) {
        boolean burst = phases.stream().anyMatch(p -> p instanceof LoadPhase.Burst);
        boolean hold = phases.stream().anyMatch(p -> p instanceof LoadPhase.HoldProbe);
        Map<String, Key> top = new LinkedHashMap<>();
        for (String k : List.of("complete", "name", "duration_s", "connections")) {
            top.put(k, Key.leaf());
        }
        top.put("outcomes", leaves(Outcome.values().length, outcomeKeys()));
        for (String k : List.of("decided", "in_flight_at_end", "open_at_end")) {
            top.put(k, Key.leaf());
        }
        for (String k : List.of("connect_ms", "connect_service_ms", "ttfb_ms")) {
            top.put(k, leaves(LATENCY.size(), LATENCY));
        }
        top.put("syn_retransmits", leaves(4, List.of("total", "connections_with_retransmits", "max", "unknown")));
        for (String k : List.of("admitted_at_once", "late_starts", "late_threshold_ms", "connections_csv",
                "connections_csv_rows", "connections_csv_dropped", "transport")) {
            top.put(k, Key.leaf());
        }
        top.put("catch_up", leaves(5, List.of("clusters", "largest", "largest_at_s", "largest_span_ms", "largest_phase")));
        top.put("launch_spread_ms", Key.leaf().onlyWith(burst ? null : "a burst phase"));
        for (String k : List.of("held_max", "served_max", "hold_probe_stopped_by")) {
            top.put(k, Key.leaf().onlyWith(hold ? null : "a hold phase (the hold probe)"));
        }
        top.put("server_sockets", leaves(11, List.of("taken", "reason", "source", "at_s", "client_connected", "server_has",
                "server_syn_recv", "phantoms", "accept_queue", "backlog", "sentence")));
        Map<String, Key> kernel = new LinkedHashMap<>();
        for (String k : List.of("observed", "reason", "listener", "source", "sampling_rate_hz", "samples", "queue_max_seen",
                "backlog_seen", "queue_full_at_s", "first_overflow_at_s", "timeline_file", "timeline_rows", "poll_errors",
                "last_poll_error")) {
            kernel.put(k, Key.leaf());
        }
        kernel.put("counters_delta", leaves(TcpExtCounters.LISTEN_EVIDENCE.size(), TcpExtCounters.LISTEN_EVIDENCE));
        kernel.put("clock", Key.openSection());
        kernel.put("server_settings", Key.openSection());
        top.put("kernel", Key.of(kernel));
        top.put("consistency", Key.of(Map.of("status", Key.leaf(), "explanation", Key.leaf(), "compared", Key.openSection())));
        top.put("client_limited_share", Key.leaf());
        top.put("measured", Key.leaf());
        top.put("prediction", Key.openSection());
        top.put("limit", Key.openSection());
        top.put("phases", phases(phases));
        // a shard's run (run --shard / --start-at) and a merged fleet (conlimit merge): docs/fleet.md
        Map<String, Key> shard = new LinkedHashMap<>();
        for (String k : List.of("index", "count", "times_on", "start_at", "released_utc", "launch_utc", "launch_unix_ns",
                "release_after_start_ms", "launch_after_start_ms", "late", "late_reason", "client_namespace")) {
            shard.put(k, Key.leaf());
        }
        shard.put("clock", leaves(5, List.of("against", "offset_ms", "uncertainty_ms", "rounds", "reason")));
        shard.put("whole_phases", Key.openSection());
        shard.put("whole_expectations", Key.openSection());
        top.put("shard", Key.of(shard));
        Map<String, Key> fleet = new LinkedHashMap<>();
        for (String k : List.of("shards", "start_at", "launch_spread_ms", "first_launch_utc", "kernel_from_shard",
                "epoch_from_shard", "held_max_is", "not_together")) {
            fleet.put(k, Key.leaf());
        }
        fleet.put("late_shards", Key.openSection());
        fleet.put("shard_runs", Key.openSection());
        top.put("fleet", Key.of(fleet));
        return new SummaryShape(Key.of(top));
    }

    /** summary.json's {@code phases}: one object per phase, by index, with the keys of its kind (docs/results.md#phases). */
    private static Key phases(List<LoadPhase> phases) {
        Map<String, Key> byIndex = new LinkedHashMap<>();
        for (int i = 0; i < phases.size(); i++) {
            LoadPhase p = phases.get(i);
            Map<String, Key> ph = new LinkedHashMap<>();
            for (String k : List.of("index", "kind", "description", "started_s", "connections", "decided", "late_starts",
                    "admitted_at_once", "note")) {
                ph.put(k, Key.leaf());
            }
            ph.put("outcomes", leaves(Outcome.values().length, outcomeKeys()));
            ph.put("syn_retransmits", leaves(3, List.of("total", "connections_with_retransmits", "unknown")));
            ph.put("connect_ms", leaves(LATENCY.size(), LATENCY));
            ph.put("catch_up", leaves(4, List.of("clusters", "largest", "largest_at_s", "largest_span_ms")));
            ph.put("launch_spread_ms", Key.leaf().onlyWith(p instanceof LoadPhase.Burst ? null : "a burst in this phase"));
            for (String k : List.of("held_max", "served_max", "hold_probe_stopped_by")) {
                ph.put(k, Key.leaf().onlyWith(p instanceof LoadPhase.HoldProbe ? null : "a hold probe in this phase"));
            }
            byIndex.put(Integer.toString(i), Key.of(ph));
        }
        return Key.of(byIndex);
    }

    private static List<String> outcomeKeys() {
        List<String> keys = new ArrayList<>();
        for (Outcome o : Outcome.values()) {
            keys.add(o.key());
        }
        return keys;
    }

    private static Key leaves(int expected, List<String> keys) {
        if (keys.size() != expected) {
            throw new IllegalStateException("summary shape: " + keys);
        }
        Map<String, Key> m = new LinkedHashMap<>();
        keys.forEach(k -> m.put(k, Key.leaf()));
        return Key.of(m);
    }

    /**
     * Empty when a run of this shape produces {@code path} (or the path goes into an open section), else the problem
     * in the words of {@link SummaryLookup}: {@code no 'conect-timeout' in outcomes; did you mean 'connect-timeout'?
     * (available: ...)}, or why the load never produces it.
     */
    public Optional<String> problem(MetricPath path) {
        Key cur = root;
        String where = "summary.json";
        for (String seg : path.segments()) {
            if (cur.open()) {
                return Optional.empty();
            }
            if (cur.leafValue()) {
                return Optional.of(where + " is a value, so it has no '" + seg + "'");
            }
            Key next = cur.children().get(seg);
            if (next == null) {
                List<String> keys = new ArrayList<>();
                cur.children().forEach((k, v) -> {
                    if (v.onlyWith() == null) {
                        keys.add(k);
                    }
                });
                StringBuilder b = new StringBuilder("no '").append(seg).append("' in ").append(where);
                Suggest.nearest(seg, keys).ifPresent(n -> b.append("; did you mean '").append(n).append("'?"));
                b.append(" (available: ");
                b.append(String.join(", ", keys.subList(0, Math.min(SummaryLookup.MAX_LISTED, keys.size()))));
                if (keys.size() > SummaryLookup.MAX_LISTED) {
                    b.append(", ... ").append(keys.size() - SummaryLookup.MAX_LISTED).append(" more");
                }
                return Optional.of(b.append(')').toString());
            }
            if (next.onlyWith() != null) {
                return Optional.of("'" + seg + "' is in summary.json only when the load has " + next.onlyWith()
                        + "; this load has none");
            }
            where = where.equals("summary.json") ? seg : where + "." + seg;
            cur = next;
        }
        return Optional.empty();
    }

    /** Whether a real summary's key path (as in summary.json, dotted) is one this shape knows or an open section holds. */
    public boolean knows(List<String> keys) {
        Key cur = root;
        for (String seg : keys) {
            if (cur.open()) {
                return true;
            }
            Key next = cur.children().get(seg);
            if (next == null) {
                return false;
            }
            cur = next;
        }
        return true;
    }
}
