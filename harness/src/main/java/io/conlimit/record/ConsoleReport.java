package io.conlimit.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.fleet.Outcome;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What a run prints: the live progress line and the summary table at the end. */
final class ConsoleReport {
    private static final String CLEAR_LINE = "\r\u001b[2K";
    /** Keys of summary.json the table shows itself; other top-level keys (the extras) are listed after them. */
    private static final Set<String> SHOWN = SummaryJson.OWN_KEYS;

    private final PrintStream out;
    private final boolean interactive;
    private boolean lineOpen;

    ConsoleReport(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    /** One progress line: redrawn in place on a terminal, a plain line otherwise. */
    synchronized void progress(double elapsedS, Interval total, double p99ConnectMs) {
        StringBuilder sb = new StringBuilder(120);
        sb.append(String.format(Locale.ROOT, "%6.1fs  started %d  ok %d", elapsedS, total.started,
                total.outcome(Outcome.OK)));
        for (Outcome o : Outcome.values()) {
            if (o != Outcome.OK && total.outcome(o) > 0) {
                sb.append("  ").append(o.key()).append(' ').append(total.outcome(o));
            }
        }
        sb.append("  in flight ").append(total.started - total.decided);
        sb.append("  p99 connect ");
        sb.append(Double.isNaN(p99ConnectMs) ? "-" : String.format(Locale.ROOT, "%.3f ms", p99ConnectMs));
        if (interactive) {
            out.print(CLEAR_LINE + sb);
            lineOpen = true;
        } else {
            out.println(sb);
        }
        out.flush();
    }

    /** A line of its own (phase changes, warnings), ending a redrawn progress line first. */
    synchronized void line(String text) {
        endProgress();
        out.println(text);
        out.flush();
    }

    synchronized void endProgress() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
        }
    }

    /** The summary table from summary.json's content. */
    synchronized void table(ObjectNode s, Path folder) {
        endProgress();
        long attempted = s.path("connections").asLong();
        out.printf(Locale.ROOT, "%nRun %s: %s, %.3f s%n", s.path("name").asText(),
                s.path("complete").asBoolean() ? "complete" : "INCOMPLETE", s.path("duration_s").asDouble());
        out.printf(Locale.ROOT, "  %-26s %10d%n", "connections attempted", attempted);
        JsonNode outcomes = s.path("outcomes");
        for (Outcome o : Outcome.values()) {
            long n = outcomes.path(o.key()).asLong();
            out.printf(Locale.ROOT, "  %-26s %10d %8s%n", o.key(), n,
                    attempted > 0 ? String.format(Locale.ROOT, "%.2f%%", 100.0 * n / attempted) : "");
        }
        long inFlight = s.path("in_flight_at_end").asLong();
        if (inFlight != 0) {
            out.printf(Locale.ROOT, "  %-26s %10d (started, no outcome yet)%n", "in flight at end", inFlight);
        }
        long open = s.path("open_at_end").asLong();
        if (open != 0) {
            out.printf(Locale.ROOT, "  %-26s %10d (decided, never reported closed: not in %s)%n", "open at end", open,
                    s.path("connections_csv").asText());
        }
        out.printf(Locale.ROOT, "  %-26s %10s %10s %10s %10s %10s %8s%n", "latency (ms)", "p50", "p90", "p99",
                "p99.9", "max", "count");
        latencyRow("connect (from intended)", s.path("connect_ms"));
        latencyRow("connect (from connect())", s.path("connect_service_ms"));
        latencyRow("time to first byte", s.path("ttfb_ms"));
        JsonNode syn = s.path("syn_retransmits");
        out.printf(Locale.ROOT, "  %-26s %10d on %d connections, max %d%s%n", "SYN retransmits",
                syn.path("total").asLong(), syn.path("connections_with_retransmits").asLong(),
                syn.path("max").asLong(), syn.path("unknown").asLong() > 0
                        ? ", unknown for " + syn.path("unknown").asLong() + " (no TCP_INFO)" : "");
        out.printf(Locale.ROOT, "  %-26s %10d (later than %.3f ms behind the intended start)%n", "late starts",
                s.path("late_starts").asLong(), s.path("late_threshold_ms").asDouble());
        catchUpLine(s.path("catch_up"));
        phaseLines(s.path("phases"));
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!SHOWN.contains(e.getKey())) {
                out.printf(Locale.ROOT, "  %-26s %10s%n", e.getKey(), e.getValue().isValueNode()
                        ? e.getValue().asText() : e.getValue().toString());
            }
        }
        long dropped = s.path("connections_csv_dropped").asLong();
        out.printf(Locale.ROOT, "  %-26s %10d%s%n", s.path("connections_csv").asText(),
                s.path("connections_csv_rows").asLong(), dropped > 0 ? " rows (" + dropped + " over the cap, not written)" : " rows");
        if (s.has("recording_errors")) {
            out.printf(Locale.ROOT, "  %-26s %s%n", "recording errors", s.get("recording_errors"));
        }
        out.printf(Locale.ROOT, "  %-26s %s%n", "results", folder);
        out.flush();
    }

    /** With more than one phase that opens connections: a line per such phase with its own outcomes. */
    private void phaseLines(JsonNode phases) {
        int opening = 0;
        for (JsonNode p : phases) {
            if (p.path("connections").asLong() > 0) {
                opening++;
            }
        }
        if (opening < 2) {
            return;
        }
        out.printf(Locale.ROOT, "  %-26s%n", "per phase");
        for (JsonNode p : phases) {
            long n = p.path("connections").asLong();
            if (n == 0) {
                continue;
            }
            StringBuilder b = new StringBuilder();
            for (Outcome o : Outcome.values()) {
                long c = p.path("outcomes").path(o.key()).asLong();
                if (c > 0) {
                    b.append(b.length() == 0 ? "" : ", ").append(o.key()).append(' ').append(c);
                }
            }
            JsonNode atOnce = p.path("admitted_at_once");
            if (atOnce.isNumber()) {
                b.append("; connected at once ").append(atOnce.asLong());
            }
            JsonNode p50 = p.path("connect_ms").path("p50");
            if (p50.isNumber()) {
                b.append(String.format(Locale.ROOT, "; connect p50 %.3f ms", p50.asDouble()));
            }
            long clusters = p.path("catch_up").path("clusters").asLong();
            if (clusters > 0) {
                b.append("; catch-up clusters ").append(clusters).append(" (largest ")
                        .append(p.path("catch_up").path("largest").asLong()).append(')');
            }
            out.printf(Locale.ROOT, "    %d %-28s %6d: %s%n", p.path("index").asInt(), p.path("description").asText(), n, b);
        }
    }

    /** The late starts released together after a client stall, when there were any (docs/results.md#catch_up). */
    private void catchUpLine(JsonNode c) {
        long n = c.path("clusters").asLong();
        if (n == 0) {
            return;
        }
        out.printf(Locale.ROOT, "  %-26s %10d (largest: %d late starts at %.3f s within %.3f ms, phase %d)%n",
                "catch-up clusters", n, c.path("largest").asLong(), c.path("largest_at_s").asDouble(),
                c.path("largest_span_ms").asDouble(), c.path("largest_phase").asInt());
    }

    private void latencyRow(String label, JsonNode n) {
        long count = n.path("count").asLong();
        if (count == 0) {
            out.printf(Locale.ROOT, "  %-26s %10s %10s %10s %10s %10s %8d%n", label, "-", "-", "-", "-", "-", 0);
            return;
        }
        out.printf(Locale.ROOT, "  %-26s %10.3f %10.3f %10.3f %10.3f %10.3f %8d%n", label,
                n.path("p50").asDouble(), n.path("p90").asDouble(), n.path("p99").asDouble(),
                n.path("p999").asDouble(), n.path("max").asDouble(), count);
    }
}
