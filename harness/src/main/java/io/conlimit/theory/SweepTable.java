package io.conlimit.theory;

import com.fasterxml.jackson.databind.JsonNode;
import io.conlimit.expect.Numbers;

import java.util.ArrayList;
import java.util.List;

/**
 * The one table {@code conlimit sweep} prints: a row per cell with the binding limit, the predicted and
 * measured limit, and the outcome counts that show it. Filled by the sweep loop as cells finish.
 */
public final class SweepTable {
    static final String[] HEAD = {"cell", "binding", "quantity", "predicted", "measured", "ok", "connected", "unserved", "app-refused", "connect-timeout", "reset", "connect p99 ms", "expectations"};
    private final List<String[]> rows = new ArrayList<>();

    /** Adds a finished cell: its label, its comparison and its summary. */
    public void add(String label, Comparison c, JsonNode summary) {
        Prediction p = c.prediction();
        rows.add(new String[]{label, p.binding().key(), p.quantity() == null ? "-" : p.quantity(),
                p.predicted() == null ? "n/a" : Long.toString(p.predicted()),
                c.measured() == null ? "n/a" : Numbers.format(c.measured()),
                value(summary, "outcomes", "ok"), value(summary, "outcomes", "connected"),
                value(summary, "outcomes", "connected-unserved"), value(summary, "outcomes", "app-refused"), value(summary, "outcomes", "connect-timeout"),
                value(summary, "outcomes", "reset"), value(summary, "connect_ms", "p99"), expectations(summary)});
    }

    /** Adds a cell that could not run (the reason goes in the binding column). */
    public void addFailed(String label, String reason) {
        rows.add(new String[]{label, "run failed: " + reason, "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", "-"});
    }

    public int size() {
        return rows.size();
    }

    /** The column names, in order. */
    public static List<String> header() {
        return List.of(HEAD);
    }

    /** The rows as rendered, one list of cells per sweep cell, in the order added. */
    public List<List<String>> rows() {
        return rows.stream().map(List::of).toList();
    }

    /** The table as CSV (RFC 4180 quoting), header first: sweep.csv. */
    public String csv() {
        StringBuilder b = new StringBuilder();
        csvLine(b, HEAD);
        rows.forEach(r -> csvLine(b, r));
        return b.toString();
    }

    private static void csvLine(StringBuilder b, String[] cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            String c = cells[i];
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                c = '"' + c.replace("\"", "\"\"") + '"';
            }
            b.append(c);
        }
        b.append('\n');
    }

    /** Aligned text, one line per cell. */
    public String render() {
        int[] w = new int[HEAD.length];
        for (int i = 0; i < HEAD.length; i++) {
            w[i] = HEAD[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, w, HEAD);
        String[] dashes = new String[HEAD.length];
        for (int i = 0; i < HEAD.length; i++) {
            dashes[i] = "-".repeat(w[i]);
        }
        line(b, w, dashes);
        rows.forEach(r -> line(b, w, r));
        return b.toString();
    }

    private static void line(StringBuilder b, int[] w, String[] cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                b.append(" | ");
            }
            String fmt = i <= 2 ? "%-" + w[i] + "s" : "%" + w[i] + "s";
            b.append(String.format(fmt, cells[i]));
        }
        b.append('\n');
    }

    /** "3/3 passed", "2/3 passed" from summary.json's expectations array, "-" when the run had none. */
    static String expectations(JsonNode summary) {
        JsonNode e = summary.get("expectations");
        if (e == null || !e.isArray() || e.isEmpty()) {
            return "-";
        }
        int passed = 0;
        for (JsonNode r : e) {
            if (r.path("passed").asBoolean(false)) {
                passed++;
            }
        }
        return passed + "/" + e.size() + " passed";
    }

    private static String value(JsonNode root, String... path) {
        Double d = Comparison.number(root, path);
        return d == null ? "n/a" : Numbers.format(d);
    }
}
