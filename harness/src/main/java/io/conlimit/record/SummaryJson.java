package io.conlimit.record;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.fleet.Outcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import java.util.List;

import java.util.Map;

/** Builds summary.json (the public contract documented in docs/results.md) from the whole run's {@link Interval}. */
final class SummaryJson {
    /** The keys summary.json defines itself; extras may not use them. */
    static final java.util.Set<String> OWN_KEYS = java.util.Set.of("complete", "name", "duration_s", "connections",
            "outcomes", "decided", "in_flight_at_end", "open_at_end", "connect_ms", "connect_service_ms", "ttfb_ms",
            "syn_retransmits", "admitted_at_once", "late_starts", "late_threshold_ms", "catch_up", "connections_csv", "connections_csv_rows",
            "connections_csv_dropped", "recording_errors", "phases");

    private SummaryJson() {
    }

    /** @throws IllegalArgumentException when an extra would replace one of summary.json's own keys */
    static void checkExtras(Map<String, Object> extras) {
        for (String key : extras.keySet()) {
            if (OWN_KEYS.contains(key)) {
                throw new IllegalArgumentException("summary extra '" + key
                        + "' would replace a key summary.json already defines");
            }
        }
    }

    /**
     * @param csvRows    rows written to connections.csv
     * @param csvDropped records beyond the cap, counted only
     * @param errors     recording errors (empty when none)
     * @param extras     merged at top level (they may not replace the keys above)
     */
    static ObjectNode build(String name, boolean complete, Interval total, double durationS,
                            long lateThresholdNanos, CatchUpClusters clusters, long csvRows, long csvDropped, String csvFile,
                            java.util.List<String> errors, Map<String, Object> extras, ArrayNode phases) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("complete", complete);
        s.put("name", name);
        s.put("duration_s", JsonNumbers.round3(durationS));
        s.put("connections", total.started);
        ObjectNode outcomes = s.putObject("outcomes");
        for (Outcome o : Outcome.values()) {
            outcomes.put(o.key(), total.outcome(o));
        }
        s.put("decided", total.decided);
        s.put("in_flight_at_end", total.started - total.decided);
        s.put("open_at_end", total.decided - total.closed);
        s.set("connect_ms", JsonNumbers.latency(total.connect));
        s.set("connect_service_ms", JsonNumbers.latency(total.connectService));
        s.set("ttfb_ms", JsonNumbers.latency(total.ttfb));
        ObjectNode syn = s.putObject("syn_retransmits");
        syn.put("total", total.synTotal);
        syn.put("connections_with_retransmits", total.synWithRetransmits);
        syn.put("max", total.synRetransmits.getTotalCount() == 0 ? 0 : total.synRetransmits.getMaxValue());
        syn.put("unknown", total.synUnknown);
        if (total.connectedSynUnknown > 0) {
            s.putNull("admitted_at_once"); // NIO: no TCP_INFO, so "without a SYN retransmit" cannot be told
        } else {
            s.put("admitted_at_once", total.admittedAtOnce);
        }
        s.put("late_starts", total.lateStarts);
        s.put("late_threshold_ms", JsonNumbers.round3(lateThresholdNanos / 1e6));
        s.set("catch_up", clusters.toJson(-1));
        s.put("connections_csv", csvFile);
        s.put("connections_csv_rows", csvRows);
        s.put("connections_csv_dropped", csvDropped);
        if (!errors.isEmpty()) {
            errors.forEach(s.putArray("recording_errors")::add);
        }
        s.set("phases", phases);
        checkExtras(extras);
        extras.forEach((k, v) -> s.set(k, AtomicJson.toJson(v)));
        return s;
    }

    /**
     * summary.json's {@code phases}: one object per phase of the load, in order, with what its own connections did
     * (the same keys as the run's totals: connections, outcomes, late_starts, catch_up, admitted_at_once, syn_retransmits,
     * connect_ms) and
     * what the fleet reports for it ({@code fleet}: kind, launch_spread_ms, held_max, ...).
     *
     * @param started the phases as they began: {index, description, started_s} (run.json's phases)
     * @param fleet   per phase index, the fleet's figures (kind, launch_spread_ms, held_max, served_max,
     *                hold_probe_stopped_by, note); may be shorter than {@code started}
     */
    static ArrayNode phases(Interval total, CatchUpClusters clusters, JsonNode started, List<Map<String, Object>> fleet) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode p : started) {
            int index = p.path("index").asInt();
            ObjectNode n = out.addObject();
            n.put("index", index);
            Map<String, Object> f = index < fleet.size() ? fleet.get(index) : Map.of();
            if (f.containsKey("kind")) {
                n.set("kind", AtomicJson.toJson(f.get("kind")));
            }
            n.put("description", p.path("description").asText());
            n.put("started_s", p.path("started_s").asDouble());
            PhaseTally t = total.phaseOrNull(index);
            PhaseTally tally = t == null ? new PhaseTally() : t;
            n.put("connections", tally.started);
            ObjectNode outcomes = n.putObject("outcomes");
            for (Outcome o : Outcome.values()) {
                outcomes.put(o.key(), tally.outcome(o));
            }
            n.put("decided", tally.decided);
            n.put("late_starts", tally.lateStarts);
            n.set("catch_up", clusters.toJson(index));
            if (tally.connectedSynUnknown > 0) {
                n.putNull("admitted_at_once");
            } else {
                n.put("admitted_at_once", tally.admittedAtOnce);
            }
            ObjectNode syn = n.putObject("syn_retransmits");
            syn.put("total", tally.synTotal);
            syn.put("connections_with_retransmits", tally.synWithRetransmits);
            syn.put("unknown", tally.synUnknown);
            n.set("connect_ms", JsonNumbers.latency(tally.connect));
            f.forEach((k, v) -> {
                if (!k.equals("kind") && !n.has(k)) {
                    n.set(k, AtomicJson.toJson(v));
                }
            });
        }
        return out;
    }
}
