package io.conlimit.results;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/**
 * The one-line verdict of {@code conlimit compare}: for each side, whether the server's accept queue overflowed
 * (its kernel's ListenOverflows over the run, at the backlog the kernel reported), how many clients waited for a SYN
 * retransmit (TCP_INFO), and what bound it ({@link #bound}). Only what the summaries say: a side whose
 * server kernel was not observed says so instead of guessing.
 */
public final class CompareVerdict {
    private CompareVerdict() {
    }

    /**
     * What bound the side: the prediction's binding limit when it names one; else from the evidence: the backlog
     * when the accept queue overflowed, the client when the generator hit its own limits, nothing on the server's
     * side when no SYN was dropped, no client waited and none timed out; else unknown.
     */
    static String bound(JsonNode s, long overflows, long waited, String backlog) {
        String binding = s.path("prediction").path("binding").asText("");
        if (!binding.isEmpty() && !binding.equals("none")) {
            return "binding limit: " + binding + " (the prediction's)";
        }
        JsonNode o = s.path("outcomes");
        if (o.path("client-limited").asLong() > 0) {
            return "bound by the client (" + o.path("client-limited").asLong() + " client-limited)";
        }
        if (overflows > 0) {
            return "bound by its " + backlog + " (the accept queue overflowed)";
        }
        if (overflows == 0 && waited == 0 && o.path("connect-timeout").asLong() == 0) {
            return "no limit of the server reached";
        }
        return "binding limit unknown";
    }

    /** {@code verdict: A overflowed (...); B did not overflow (...)}. */
    public static String line(ResultsFolder a, ResultsFolder b) {
        return "verdict: " + side("A", a) + "; " + side("B", b) + ".";
    }

    static String side(String label, ResultsFolder f) {
        if (f.summary().isEmpty()) {
            return label + " has no summary.json (the run was killed before it finished)";
        }
        JsonNode s = f.summary().get();
        StringBuilder b = new StringBuilder(label);
        JsonNode k = s.path("kernel");
        JsonNode overflows = k.path("counters_delta").path("ListenOverflows");
        boolean observed = k.path("observed").asBoolean(false) && overflows.isNumber();
        String backlog = k.path("backlog_seen").isNumber() && k.path("backlog_seen").asLong() >= 0
                ? "backlog " + k.path("backlog_seen").asLong() : "backlog unknown";
        if (!observed) {
            b.append(": overflow unknown (its server's kernel was not observed)");
        } else if (overflows.asLong() > 0) {
            b.append(" overflowed (").append(backlog).append(", ListenOverflows +").append(overflows.asLong()).append(')');
        } else {
            b.append(" did not overflow (").append(backlog).append(", ListenOverflows +0)");
        }
        long connections = s.path("connections").asLong();
        JsonNode waited = s.path("syn_retransmits").path("connections_with_retransmits");
        if ("nio".equals(s.path("transport").asText()) || !waited.isNumber()) {
            b.append(", SYN retransmits unknown (no TCP_INFO)");
        } else {
            b.append(String.format(Locale.ROOT, ", %d of %d clients waited for a SYN retransmit", waited.asLong(), connections));
        }
        b.append(", ").append(bound(s, observed ? overflows.asLong() : -1, waited.isNumber() ? waited.asLong() : -1, backlog));
        if (!f.complete()) {
            b.append(" (INCOMPLETE run)");
        }
        return b.toString();
    }
}
