package io.conlimit.theory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.expect.Numbers;
import io.conlimit.fleet.Outcome;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predicted against measured, for the console table and for summary.json's {@code limit} object.
 * Reads these summary.json keys (docs/results.md): {@code held_max}, {@code outcomes.*},
 * {@code connections}, {@code syn_retransmits.connections_with_retransmits}, {@code syn_retransmits.unknown},
 * and, when present, {@code admitted_at_once} and {@code queue_full_after_s}.
 *
 * @param prediction the prediction (for an unknown W, already completed from the measurement)
 * @param rows       quantity | predicted | measured
 * @param measured   the measured value of {@code prediction.quantity()}, or null
 * @param identity   how the hold probe's counts were read as the server's limit, or null (another quantity, the
 *                   client's cap, or no identity explains them)
 */
public record Comparison(Prediction prediction, List<Row> rows, Double measured, Identity identity) {

    /** One line of the table; "n/a" where a side is unknown. */
    public record Row(String quantity, String predicted, String measured) {
    }

    public Comparison {
        rows = List.copyOf(rows);
    }

    public static Comparison of(Prediction p, JsonNode root) {
        // a run with several load phases is measured on the predicted phase's own counts (summary.json phases[i])
        JsonNode summary = phaseOf(p, root);
        boolean wholeRun = summary == root;
        List<Row> rows = new ArrayList<>();
        Double measured = null;
        Identity identity = null;
        if ("held_max".equals(p.quantity())) {
            measured = number(summary, "held_max");
            Double verified = wholeRun ? serverHeld(root) : null;
            if (measured != null && verified != null && verified < measured) {
                // the client held connections the server's kernel did not have (phantoms, deferred accept): the
                // server's count is the measurement, the client's is shown beside it
                rows.add(new Row("held by the client (held_max, not all on the server)", "n/a", fmt(measured)));
                measured = verified;
            }
            Double served = number(summary, "served_max");
            double refused = orZero(number(summary, "outcomes", "app-refused"));
            // the identity follows what was counted: answers (served_max) or handshakes alone (held_max)
            if (measured != null && "max-held".equals(summary.path("hold_probe_stopped_by").asText())) {
                p = p.withClientCap(Math.round(measured));
            } else if (measured != null && served != null && served > 0 && served >= measured && refused > 0) {
                p = p.withApplicationLimit(Math.round(served), Math.round(refused));
                identity = Identity.APPLICATION;
            } else if (measured != null && served != null && served > 0 && !p.model().workersKnown()) {
                p = p.withServedWorkers(Math.round(served), Math.round(measured));
                identity = Identity.SERVED;
            } else if (measured != null) {
                p = p.withMeasuredLimit(Math.round(measured));
                identity = p.inferredWorkers() != null || (p.concurrentLimit() != null && p.predicted() != null
                        && p.predicted().intValue() == p.concurrentLimit()) ? Identity.HELD : null;
            }
            rows.add(new Row(verified != null ? "concurrent connections held (server's sockets)" : "concurrent connections held (held_max)",
                    fmt(p.predicted()), fmt(measured)));
            if (served != null && served > 0) {
                rows.add(new Row("of them served by the application (served_max)",
                        p.model() != null && p.model().workersKnown() ? Integer.toString(p.model().workers()) : "n/a", fmt(served)));
            }
            if (identity == Identity.SERVED) {
                rows.add(new Row("workers W (counted: served_max)", "n/a", Integer.toString(p.inferredWorkers())));
                if (p.model().effectiveBacklog() >= 0) {
                    rows.add(new Row("held if W + B + 1 (W = served_max)", Long.toString(p.inferredWorkers() + (long) p.model().queueSlots()), fmt(measured)));
                }
            } else if (p.inferredWorkers() != null) {
                rows.add(new Row("workers W (inferred: held_max - B - 1)", "n/a", Integer.toString(p.inferredWorkers())));
            }
        } else if ("admitted_at_once".equals(p.quantity())) {
            measured = admittedAtOnce(summary);
            rows.add(new Row("connected at once (no SYN retransmit)", fmt(p.predicted()), fmt(measured)));
            BurstForecast f = p.burst();
            if (f != null) {
                rows.add(new Row("connected after SYN retransmits", Integer.toString(f.admittedTotal() - f.admittedAtOnce()),
                        fmt(minus(handshakes(summary), measured))));
                rows.add(new Row("connect-timeout", Integer.toString(f.timeouts()), fmt(number(summary, "outcomes", "connect-timeout"))));
                rows.add(new Row("connections with SYN retransmits", Integer.toString(f.retransmitting()),
                        fmt(number(summary, "syn_retransmits", "connections_with_retransmits"))));
                Double noSocket = wholeRun ? clientOnly(root) : null;
                if (f.phantoms() > 0 || (noSocket != null && noSocket > 0)) {
                    rows.add(new Row("connected without a server socket (phantoms, half-open)", Integer.toString(f.phantoms()), fmt(noSocket)));
                }
            }
        }
        RateForecast r = p.rate();
        if (r != null) {
            rows.add(new Row("arrival rate lambda (/s)", Numbers.format(r.lambda()), "n/a"));
            rows.add(new Row("service rate mu (/s)", Double.isFinite(r.mu()) ? Numbers.format(Predictor.round2(r.mu())) : "unbounded", "n/a"));
            rows.add(new Row("accept queue full after (s)", r.fills() ? Numbers.format(Predictor.round2(r.fullAfterS())) : "never",
                    fmt(queueFullAfter(root, p.phaseIndex()))));
            rows.add(new Row("handshakes completed", r.admittedLow() == r.admittedHigh() ? Long.toString(r.admittedLow())
                    : r.admittedLow() + ".." + r.admittedHigh(), fmt(handshakes(summary))));
        }
        RampForecast ramp = p.ramp();
        if (ramp != null) {
            rows.add(new Row("ramp passes mu at (s)", Double.isNaN(ramp.crossingS()) ? "never" : Numbers.format(Predictor.round2(ramp.crossingS())), "n/a"));
            Double full = queueFullAfter(root, p.phaseIndex());
            rows.add(new Row("accept queue full after (s)", Double.isNaN(ramp.fullAfterS()) ? "never" : Numbers.format(Predictor.round2(ramp.fullAfterS())),
                    fmt(full)));
            if (p.phase() instanceof io.conlimit.plan.LoadPhase.Ramp shape) {
                rows.add(new Row("arrival rate when the queue filled (/s)",
                        Double.isNaN(ramp.fullAfterS()) ? "never" : Numbers.format(Math.round(rampRate(shape, ramp.fullAfterS()))),
                        full == null ? "n/a" : Numbers.format(Math.round(rampRate(shape, full)))));
            }
        }
        if (openLoop(p)) {
            Double cluster = largestCatchUp(root, p.phaseIndex());
            long slots = p.model() == null || p.model().effectiveBacklog() < 0 ? -1 : p.model().queueSlots();
            rows.add(new Row("largest client catch-up cluster (late starts)", slots < 0 ? "n/a" : "at most " + slots + " (B + 1) to be clear",
                    fmt(cluster)));
        }
        return new Comparison(p, rows, measured, identity);
    }

    /**
     * Measured: seconds from the start of phase {@code phaseIndex} to the first sample of the server kernel that saw
     * the listener's accept queue full ({@code kernel.queue_full_at_s}), to within one sampling period; when no sample
     * caught it full (it can fill and drain between two), the first growth of ListenOverflows
     * ({@code kernel.first_overflow_at_s}; a counter of the whole network namespace, so other listeners move it too).
     * Null when the kernel was not observed or neither happened.
     */
    static Double queueFullAfter(JsonNode root, int phaseIndex) {
        Double full = number(root, "kernel", "queue_full_at_s");
        Double overflow = number(root, "kernel", "first_overflow_at_s");
        Double first = full != null ? full : overflow;
        Double start = null;
        for (JsonNode ph : root.path("phases")) {
            if (ph.path("index").asInt(-1) == phaseIndex) {
                start = number(ph, "started_s");
            }
        }
        if (first == null || start == null) {
            return null;
        }
        return Math.round(Math.max(0, first - start) * 100) / 100.0;
    }

    /**
     * Measured: the most late starts of phase {@code phaseIndex} the client released together after a stall
     * ({@code phases[i].catch_up.largest}, docs/results.md#catch_up); null for a summary without it.
     */
    static Double largestCatchUp(JsonNode root, int phaseIndex) {
        for (JsonNode ph : root.path("phases")) {
            if (ph.path("index").asInt(-1) == phaseIndex) {
                return number(ph, "catch_up", "largest");
            }
        }
        return null;
    }

    /**
     * For a rate or ramp phase (whether or not the server's service rate is known: an external server's B is
     * enough): when the client's own largest catch-up cluster in that phase was larger than the accept queue (B + 1),
     * a sentence saying it could itself have overflowed the backlog; else null (also when B is unknown, or the
     * summary has no catch_up).
     */
    public static String catchUpNote(Prediction p, JsonNode root) {
        if (!openLoop(p) || p.model() == null || p.model().effectiveBacklog() < 0) {
            return null;
        }
        Double largest = largestCatchUp(root, p.phaseIndex());
        long slots = p.model().queueSlots();
        if (largest == null || largest <= slots) {
            return null;
        }
        JsonNode c = null;
        for (JsonNode ph : root.path("phases")) {
            if (ph.path("index").asInt(-1) == p.phaseIndex()) {
                c = ph.path("catch_up");
            }
        }
        return "the client fell behind its schedule and released " + Math.round(largest) + " overdue connects together at "
                + Numbers.format(c.path("largest_at_s").asDouble()) + " s (within " + Numbers.format(c.path("largest_span_ms").asDouble())
                + " ms): more than the accept queue holds (B + 1 = " + slots + "), so that catch-up cluster could itself have "
                + "overflowed the backlog: SYN drops and retransmits near that time may be the client's doing, not the "
                + "server's rate limit (catch_up in summary.json; rerun on a quieter client, or with a lower rate)";
    }

    /** Whether the predicted phase is open-loop (a rate or a ramp): one whose schedule the client can fall behind. */
    private static boolean openLoop(Prediction p) {
        return p.phase() instanceof io.conlimit.plan.LoadPhase.Rate || p.phase() instanceof io.conlimit.plan.LoadPhase.Ramp;
    }

    /** A ramp's intended arrival rate {@code t} seconds into it. */
    static double rampRate(io.conlimit.plan.LoadPhase.Ramp r, double t) {
        double d = r.duration().toNanos() / 1e9;
        double x = Math.max(0, Math.min(1, t / d));
        if (r.steps() == 1) {
            return r.toPerSecond();
        }
        if (r.steps() > 1) {
            x = Math.min(r.steps() - 1, Math.floor(x * r.steps())) / (r.steps() - 1); // step s runs at from + (to - from) s / (steps - 1)
        }
        return r.fromPerSecond() + (r.toPerSecond() - r.fromPerSecond()) * x;
    }

    /**
     * The node the prediction's phase is measured on: {@code phases[i]} when more than one phase of the run opened
     * connections (their totals mix), else the whole summary.
     */
    public static JsonNode phaseOf(Prediction p, JsonNode root) {
        JsonNode phases = root.path("phases");
        int opening = 0;
        for (JsonNode ph : phases) {
            if (ph.path("connections").asLong() > 0) {
                opening++;
            }
        }
        if (opening < 2) {
            return root;
        }
        for (JsonNode ph : phases) {
            if (ph.path("index").asInt(-1) == p.phaseIndex()) {
                return ph;
            }
        }
        return root;
    }

    /**
     * Connections that got in without retransmitting a SYN: the recording's {@code admitted_at_once}
     * (null when the transport cannot tell); for an older summary without that key,
     * connections - connections_with_retransmits - unknown - refused - client-limited - error.
     */
    static Double admittedAtOnce(JsonNode s) {
        if (s.has("admitted_at_once")) {
            return number(s, "admitted_at_once");
        }
        Double total = number(s, "connections");
        Double with = number(s, "syn_retransmits", "connections_with_retransmits");
        if (total == null || with == null) {
            return null;
        }
        double v = total - with - orZero(number(s, "syn_retransmits", "unknown")) - orZero(number(s, "outcomes", "refused"))
                - orZero(number(s, "outcomes", "client-limited")) - orZero(number(s, "outcomes", "error"));
        return Math.max(0, v);
    }

    /** The {@code limit} object for summary.json: {phase, quantity, predicted, measured, binding, identity, sentence}. */
    public Map<String, Object> limitJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("phase", prediction.phaseIndex());
        j.put("quantity", prediction.quantity());
        j.put("predicted", prediction.predicted());
        Object m = measured;
        if (measured != null && measured == Math.rint(measured)) {
            m = Math.round(measured);
        }
        j.put("measured", m);
        j.put("binding", prediction.binding().key());
        j.put("identity", identity == null ? null : identity.key());
        j.put("sentence", prediction.sentence());
        return j;
    }

    /**
     * Puts {@code prediction} ({@link Prediction#toJson()}) and {@code limit} ({@link #limitJson()}) into a
     * summary, so that expectations such as {@code limit.measured == limit.predicted} can be checked against it.
     */
    public ObjectNode annotate(ObjectNode summary) {
        ObjectMapper mapper = new ObjectMapper();
        summary.set("prediction", mapper.valueToTree(prediction.toJson()));
        summary.set("limit", mapper.valueToTree(limitJson()));
        return summary;
    }

    /** The printed table, then the sentence naming the binding limit. */
    public String table() {
        String[] head = {"quantity", "predicted", "measured"};
        int[] w = {head[0].length(), head[1].length(), head[2].length()};
        for (Row r : rows) {
            w[0] = Math.max(w[0], r.quantity().length());
            w[1] = Math.max(w[1], r.predicted().length());
            w[2] = Math.max(w[2], r.measured().length());
        }
        StringBuilder b = new StringBuilder();
        line(b, w, head[0], head[1], head[2]);
        line(b, w, "-".repeat(w[0]), "-".repeat(w[1]), "-".repeat(w[2]));
        for (Row r : rows) {
            line(b, w, r.quantity(), r.predicted(), r.measured());
        }
        b.append(prediction.sentence()).append('\n');
        if (identity != null) {
            b.append("  identity used: ").append(identity.key()).append(identity == Identity.HELD
                    ? " (connections held: the workers' and the accept queue's)" : " (connections the application answered)").append('\n');
        }
        for (String note : prediction.notes()) {
            b.append("  note: ").append(note).append('\n');
        }
        return b.toString();
    }

    private static void line(StringBuilder b, int[] w, String a, String p, String m) {
        b.append(String.format("%-" + w[0] + "s | %" + w[1] + "s | %" + w[2] + "s%n", a, p, m));
    }

    /**
     * The hold probe's held connections as the server's kernel had them at the end of the load (the socket census:
     * {@code server_sockets.server_has}), null when no census was taken.
     */
    static Double serverHeld(JsonNode summary) {
        JsonNode c = summary.path("server_sockets");
        return c.path("taken").asBoolean(false) && c.path("client_connected").asLong() > 0 ? number(c, "server_has") : null;
    }

    /**
     * The census's connections the client held that the server's application never had: phantoms (no server socket)
     * plus half-open ones (SYN-RECV), {@code client_connected - server_has}; null without a census.
     */
    static Double clientOnly(JsonNode summary) {
        JsonNode c = summary.path("server_sockets");
        if (!c.path("taken").asBoolean(false)) {
            return null;
        }
        Double client = number(c, "client_connected");
        Double server = number(c, "server_has");
        return client == null || server == null ? null : Math.max(0, client - server);
    }

    /** The number at {@code path} in a summary, null when absent or not a number. */
    public static Double number(JsonNode root, String... path) {
        JsonNode n = root;
        for (String k : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(k);
        }
        return n != null && n.isNumber() ? n.doubleValue() : null;
    }

    /** Connections whose handshake completed, whatever the application did then ({@link Outcome#handshakeCompleted()}). */
    public static Double handshakes(JsonNode summary) {
        JsonNode o = summary.path("outcomes");
        if (!o.isObject()) {
            return null;
        }
        double n = 0;
        for (Outcome k : Outcome.values()) {
            if (k.handshakeCompleted()) {
                n += o.path(k.key()).asDouble(0);
            }
        }
        return n;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    private static Double minus(Double a, Double b) {
        return a == null || b == null ? null : Math.max(0, a - b);
    }

    private static String fmt(Number v) {
        return v == null ? "n/a" : Numbers.format(v.doubleValue());
    }
}
