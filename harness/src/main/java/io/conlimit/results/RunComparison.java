package io.conlimit.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.fleet.Outcome;
import io.conlimit.kernel.TcpExtCounters;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Two run folders side by side ({@code conlimit compare}): the same keys of each folder's summary.json (and a
 * few of run.json), grouped in sections. Reads the folders only through {@link ResultsFolder}: the files are the
 * contract (docs/results.md). A key that a run does not have (no kernel evidence, no prediction, another load
 * shape) is shown as "-".
 */
public final class RunComparison {
    /** What a missing or null value prints as. */
    public static final String ABSENT = "-";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One compared value.
     *
     * @param section the heading it is printed under
     * @param label   what it is, for people
     * @param file    run.json or summary.json
     * @param path    the keys leading to it in that file (a key may contain dots, e.g. net.core.somaxconn)
     */
    public record Row(String section, String label, String file, List<String> path) {
        public Row {
            path = List.copyOf(path);
        }

        /** The path as one dotted text, e.g. {@code kernel.counters_delta.ListenOverflows}. */
        public String key() {
            return String.join(".", path);
        }

        JsonNode valueIn(ResultsFolder f) {
            JsonNode n = file.equals(ResultsLayout.RUN_JSON) ? f.run() : f.summary().orElse(null);
            for (String k : path) {
                if (n == null || !n.isObject()) {
                    return null;
                }
                n = n.get(k);
            }
            return n == null || n.isNull() || n.isMissingNode() ? null : n;
        }
    }

    private final ResultsFolder a;
    private final ResultsFolder b;

    public RunComparison(ResultsFolder a, ResultsFolder b) {
        this.a = a;
        this.b = b;
    }

    /** Every compared row, in print order. */
    public static List<Row> rows() {
        List<Row> r = new ArrayList<>();
        run(r, "Run", "target", "inputs", "target");
        run(r, "Run", "load", "inputs", "phases");
        sum(r, "Run", "complete", "complete");
        sum(r, "Run", "duration s", "duration_s");
        sum(r, "Run", "connections", "connections");
        for (Outcome o : Outcome.values()) {
            sum(r, "Outcomes", o.key(), "outcomes", o.key());
        }
        sum(r, "Outcomes", "in flight at end", "in_flight_at_end");
        for (String p : List.of("p50", "p90", "p99", "p999", "max")) {
            sum(r, "Connect latency, ms (from intended start)", p, "connect_ms", p);
        }
        for (String p : List.of("p50", "p99", "max")) {
            sum(r, "Connect latency, ms (from connect())", p, "connect_service_ms", p);
        }
        sum(r, "SYN retransmits (client)", "total", "syn_retransmits", "total");
        sum(r, "SYN retransmits (client)", "connections with any", "syn_retransmits", "connections_with_retransmits");
        sum(r, "SYN retransmits (client)", "most on one", "syn_retransmits", "max");
        sum(r, "Load", "launch spread ms", "launch_spread_ms");
        sum(r, "Load", "held max", "held_max");
        sum(r, "Load", "late starts", "late_starts");
        sum(r, "Server kernel", "observed", "kernel", "observed");
        sum(r, "Server kernel", "source", "kernel", "source");
        sum(r, "Server kernel", "somaxconn", "kernel", "server_settings", "sysctls", "net.core.somaxconn");
        sum(r, "Server kernel", "backlog seen (Send-Q)", "kernel", "backlog_seen");
        sum(r, "Server kernel", "queue max seen", "kernel", "queue_max_seen");
        for (String c : TcpExtCounters.LISTEN_EVIDENCE) {
            sum(r, "Server kernel", c + " (delta)", "kernel", "counters_delta", c);
        }
        sum(r, "Consistency", "status", "consistency", "status");
        sum(r, "Lab", "server sysctls", "lab", "server_sysctls");
        sum(r, "Lab", "backlog effective (start line)", "lab", "backlog_effective");
        sum(r, "Prediction", "binding limit", "prediction", "binding");
        sum(r, "Prediction", "limit quantity", "limit", "quantity");
        sum(r, "Prediction", "limit predicted", "limit", "predicted");
        sum(r, "Prediction", "limit measured", "limit", "measured");
        return List.copyOf(r);
    }

    private static void run(List<Row> r, String section, String label, String... path) {
        r.add(new Row(section, label, ResultsLayout.RUN_JSON, List.of(path)));
    }

    private static void sum(List<Row> r, String section, String label, String... path) {
        r.add(new Row(section, label, ResultsLayout.SUMMARY_JSON, List.of(path)));
    }

    /** A value as printed: "-" when absent, integers without decimals, other numbers with at most 3. */
    public static String format(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return ABSENT;
        }
        if (v.isIntegralNumber()) {
            return v.asText();
        }
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue().setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
            return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isArray() && v.size() == 1 && v.get(0).isTextual()) {
            return v.get(0).asText();
        }
        return v.toString();
    }

    /** B - A when both are numbers, else "". */
    static String difference(JsonNode x, JsonNode y) {
        if (x == null || y == null || !x.isNumber() || !y.isNumber()) {
            return "";
        }
        BigDecimal d = y.decimalValue().subtract(x.decimalValue());
        if (d.signum() == 0) {
            return "=";
        }
        String s = format(JSON.getNodeFactory().numberNode(d));
        return d.signum() > 0 ? "+" + s : s;
    }

    /** The side-by-side table, section by section. */
    public String table() {
        List<Row> rows = rows();
        int wl = "quantity".length();
        int wa = "A".length();
        int wb = "B".length();
        for (Row r : rows) {
            wl = Math.max(wl, r.label().length());
            wa = Math.max(wa, format(r.valueIn(a)).length());
            wb = Math.max(wb, format(r.valueIn(b)).length());
        }
        wa = Math.min(wa, 48);
        wb = Math.min(wb, 48);
        StringBuilder out = new StringBuilder();
        out.append("A: ").append(describe(a)).append('\n');
        out.append("B: ").append(describe(b)).append('\n');
        String fmt = "  %-" + wl + "s  %" + wa + "s  %" + wb + "s  %s%n";
        out.append('\n').append(String.format(fmt, "", "A", "B", "B-A").stripTrailing()).append('\n');
        String section = null;
        for (Row r : rows) {
            if (!r.section().equals(section)) {
                section = r.section();
                out.append(section).append('\n');
            }
            JsonNode x = r.valueIn(a);
            JsonNode y = r.valueIn(b);
            out.append(String.format(fmt, r.label(), format(x), format(y), difference(x, y)).stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private static String describe(ResultsFolder f) {
        String state = f.summary().isEmpty() ? "INCOMPLETE: no summary.json (killed before it finished)"
                : f.complete() ? "complete" : "INCOMPLETE (interrupted)";
        return f.folder() + " (" + (f.name().isEmpty() ? "unnamed" : f.name()) + ", " + state + ")";
    }

    /** The same as JSON: {@code {"a": {...}, "b": {...}, "rows": [{section, label, key, file, a, b}]}}. */
    public ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.set("a", side(a));
        root.set("b", side(b));
        ArrayNode rows = root.putArray("rows");
        for (Row r : rows()) {
            ObjectNode o = rows.addObject();
            o.put("section", r.section());
            o.put("label", r.label());
            o.put("file", r.file());
            o.set("path", JSON.valueToTree(r.path()));
            o.set("a", r.valueIn(a));
            o.set("b", r.valueIn(b));
        }
        return root;
    }

    private static ObjectNode side(ResultsFolder f) {
        ObjectNode o = JSON.createObjectNode();
        o.put("folder", f.folder().toString());
        o.put("name", f.name());
        o.put("complete", f.complete());
        o.put("has_summary", f.summary().isPresent());
        return o;
    }
}
