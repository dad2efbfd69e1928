package io.conlimit.theory;

import io.conlimit.expect.Numbers;
import io.conlimit.plan.LoadPhase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the theory expects of a run, and why: the binding limit and one sentence naming it. Built by
 * {@link Predictor}; immutable.
 *
 * @param model           the server as the theory saw it
 * @param phaseIndex      the load phase predicted (the first that is not a pause)
 * @param phase           that phase
 * @param quantity        the summary.json key {@code limit.predicted} stands for: {@code held_max} (hold probe),
 *                        {@code admitted_at_once} (burst), or null when the shape has no single limit (rate, ramp)
 * @param predicted       the predicted value of that quantity, or null when the theory cannot say
 * @param concurrentLimit W (+Q) + B + 1 when the server has one, else null
 * @param binding         what binds
 * @param sentence        one sentence naming the binding limit, with the numbers
 * @param burst           the burst forecast, or null
 * @param rate            the rate forecast, or null
 * @param ramp            the ramp forecast, or null
 * @param inferredWorkers W inferred from a measurement (external servers), or null
 * @param notes           caveats (other phases not modelled, approximations)
 */
public record Prediction(ServiceModel model, int phaseIndex, LoadPhase phase, String quantity, Long predicted,
                        Integer concurrentLimit, BindingLimit binding, String sentence, BurstForecast burst,
                        RateForecast rate, RampForecast ramp, Integer inferredWorkers, List<String> notes) {
    public Prediction {
        notes = List.copyOf(notes);
    }

    /**
     * The measurement says the application's own limit binds: it served {@code served} connections at once and
     * refused {@code refused} more after accepting them (app-refused), so the accept queue never held them and
     * W + B + 1 does not apply (no W is inferred).
     */
    public Prediction withApplicationLimit(long served, long refused) {
        String s = "Binding limit: the application's own connection limit: it served " + served + " connections at once and"
                + " refused " + refused + " more after accepting them (app-refused: a refusal reply or a close), so its accept"
                + " queue never held them and W + B + 1 does not apply.";
        return new Prediction(model, phaseIndex, phase, quantity, predicted, concurrentLimit, BindingLimit.APPLICATION, s,
                burst, rate, ramp, null, notes);
    }

    /** The hold probe stopped at its own {@code --max-held}: the client's cap is what was measured, not the server's limit. */
    public Prediction withClientCap(long cap) {
        if (binding == BindingLimit.CLIENT) {
            return this;
        }
        String s = "Binding limit: the client itself: the hold probe stopped at its own cap of " + cap + " held connections"
                + " (--max-held); the server may hold more, so this measures the client, not the server.";
        return new Prediction(model, phaseIndex, phase, quantity, predicted, concurrentLimit, BindingLimit.CLIENT, s,
                burst, rate, ramp, null, notes);
    }

    /**
     * For a server whose W is unknown, from connect-level holds (handshakes, not answers): W = held - B - 1, said
     * so in the sentence. Returns this
     * prediction unchanged when W is known, B unknown, or the quantity is not a concurrent limit.
     */
    public Prediction withMeasuredLimit(long measured) {
        if (model.workersKnown() || model.effectiveBacklog() < 0 || !"held_max".equals(quantity)) {
            return this;
        }
        long w = measured - model.queueSlots();
        if (w < 0) {
            String s = "W unknown and not inferable: the external server held " + measured + " connections, fewer than B + 1 = "
                    + model.queueSlots() + ", so something other than its backlog limits it (a proxy, a connection limit, the client).";
            return new Prediction(model, phaseIndex, phase, quantity, null, null, BindingLimit.NONE, s, burst, rate, ramp, null, notes);
        }
        BindingLimit b = model.clamped() ? BindingLimit.SOMAXCONN_CLAMP : w >= model.queueSlots() ? BindingLimit.WORKERS : BindingLimit.BACKLOG;
        String s = "W unknown, so inferred from the connections held (held = W + B + 1): W = held - B - 1 = " + measured + " - " + model.effectiveBacklog()
                + " - 1 = " + w + "; binding limit: " + bindingWords(b) + ".";
        // nothing was predicted: the measurement is explained, not confirmed, so predicted stays null
        return new Prediction(model, phaseIndex, phase, quantity, null, null, b, s, burst, rate, ramp, (int) w, notes);
    }

    /**
     * For a server whose W is unknown, measured by a probe that saw the application answer: the served connections
     * count the workers (W = served), and the held connections that were not served should be the accept queue's
     * B + 1; held = W + B + 1 is checked against the measurement, never assumed. Returns this prediction unchanged
     * when W is known or the quantity is not a concurrent limit.
     *
     * @param served the most connections served at once (served_max)
     * @param held   the most connections held at once (held_max, or the server's own count)
     */
    public Prediction withServedWorkers(long served, long held) {
        if (model.workersKnown() || !"held_max".equals(quantity)) {
            return this;
        }
        String head = "W unknown, so counted from the connections the application served: W = served_max = " + served;
        long unserved = held - served;
        if (model.effectiveBacklog() < 0) {
            String s = head + "; B unknown, so held = W + B + 1 cannot be checked (" + unserved + " held connections were not served).";
            return new Prediction(model, phaseIndex, phase, quantity, null, null, BindingLimit.NONE, s, burst, rate, ramp, (int) served, notes);
        }
        long slots = model.queueSlots();
        long expected = served + slots;
        String sum = "W + B + 1 = " + served + " + " + model.effectiveBacklog() + " + 1 = " + expected;
        if (held == expected) {
            BindingLimit b = model.clamped() ? BindingLimit.SOMAXCONN_CLAMP : served >= slots ? BindingLimit.WORKERS : BindingLimit.BACKLOG;
            String s = head + "; the other " + unserved + " held connections waited unserved in the accept queue (B + 1 = " + slots
                    + "): held = " + sum + ", as measured; binding limit: " + bindingWords(b) + ".";
            // W is counted, not predicted: the measurement is explained (and checked), so predicted stays null
            return new Prediction(model, phaseIndex, phase, quantity, null, (int) expected, b, s, burst, rate, ramp, (int) served, notes);
        }
        String why = held < expected
                ? "only " + unserved + " held connections were not served, fewer than the accept queue's B + 1 = " + slots
                        + ", so something other than the backlog stopped the rest (a proxy, a connection limit, the client)"
                : unserved + " held connections were not served, more than the accept queue's B + 1 = " + slots
                        + ": the others wait elsewhere (an application-side queue, or connections its kernel has not queued)";
        String s = head + "; but the server held " + held + ", not " + sum + ": " + why + "; binding limit: not determined.";
        return new Prediction(model, phaseIndex, phase, quantity, null, null, BindingLimit.NONE, s, burst, rate, ramp, (int) served, notes);
    }

    static String bindingWords(BindingLimit b) {
        return switch (b) {
            case BACKLOG -> "the listen backlog";
            case WORKERS -> "the workers";
            case SOMAXCONN_CLAMP -> "the somaxconn clamp";
            case SERVICE_RATE -> "the service rate";
            case CLIENT -> "the client itself";
            case APPLICATION -> "the application's own connection limit";
            case NONE -> "none";
        };
    }

    /** The "prediction" object of summary.json. */
    public Map<String, Object> toJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("binding", binding.key());
        j.put("sentence", sentence);
        j.put("quantity", quantity);
        j.put("predicted", predicted);
        j.put("concurrent_limit", concurrentLimit);
        j.put("phase", phaseIndex);
        Map<String, Object> mj = new LinkedHashMap<>();
        mj.put("kind", model.kind() == null ? null : model.kind().cliName());
        mj.put("workers", model.workersKnown() ? model.workers() : null);
        mj.put("workers_inferred", inferredWorkers);
        mj.put("queue", model.queue());
        mj.put("backlog_effective", model.effectiveBacklog() < 0 ? null : model.effectiveBacklog());
        mj.put("backlog_requested", model.requestedBacklog() < 0 ? null : model.requestedBacklog());
        mj.put("somaxconn", model.somaxconn() < 0 ? null : model.somaxconn());
        mj.put("clamped", model.clamped());
        mj.put("hold_mean_ms", model.holdMean() == null ? null : model.holdMean().toNanos() / 1e6);
        mj.put("service_rate_per_s", finite(model.serviceRate()));
        j.put("model", mj);
        if (burst != null) {
            Map<String, Object> bj = new LinkedHashMap<>();
            bj.put("connections", burst.connections());
            bj.put("admitted_at_once", burst.admittedAtOnce());
            List<Map<String, Object>> cl = new ArrayList<>();
            for (BurstForecast.Cluster c : burst.clusters()) {
                Map<String, Object> cj = new LinkedHashMap<>();
                cj.put("at_ms", c.at().toMillis());
                cj.put("count", c.count());
                cl.add(cj);
            }
            bj.put("clusters", cl);
            bj.put("connect_timeouts", burst.timeouts());
            bj.put("phantoms", burst.phantoms());
            j.put("burst", bj);
        }
        if (rate != null) {
            Map<String, Object> rj = new LinkedHashMap<>();
            rj.put("lambda_per_s", rate.lambda());
            rj.put("mu_per_s", finite(rate.mu()));
            rj.put("overloaded", rate.overloaded());
            rj.put("queue_fill_s", finite(rate.queueFillS()));
            rj.put("queue_full_after_s", finite(rate.fullAfterS()));
            rj.put("drop_rate_per_s", rate.dropRate());
            rj.put("arrivals", rate.arrivals());
            rj.put("admitted_low", rate.admittedLow());
            rj.put("admitted_high", rate.admittedHigh());
            j.put("rate", rj);
        }
        if (ramp != null) {
            Map<String, Object> rj = new LinkedHashMap<>();
            rj.put("mu_per_s", finite(ramp.mu()));
            rj.put("crossing_s", finite(ramp.crossingS()));
            rj.put("queue_full_after_s", finite(ramp.fullAfterS()));
            j.put("ramp", rj);
        }
        j.put("notes", notes);
        return j;
    }

    /** JSON has no infinity or NaN: null instead (documented: unbounded or not applicable). */
    static Double finite(double v) {
        return Double.isFinite(v) ? Double.valueOf(v) : null;
    }

    static String n(double v) {
        return Numbers.format(v);
    }
}
