package io.conlimit.theory;

import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.RunPlan;
import io.conlimit.target.Durations;
import io.conlimit.target.ServerKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.conlimit.theory.Prediction.n;

/**
 * The theory of a run: from the server's model (kind, W, Q, the effective B, somaxconn, hold), the load
 * and the client kernel's SYN retry schedule, what should happen and which limit binds.
 * Formulas (docs/scenarios.md, "The prediction"): hold / spread arrivals W (+Q) + B + 1; burst B + 1 + W
 * at once, the rest on the retry schedule; rate lambda against mu = W / mean hold.
 */
public final class Predictor {
    /** Descriptors the client needs besides its connections (JVM, jars, epoll): a held load above limit - this binds on the client. */
    static final long CLIENT_FD_RESERVE = 64;

    private Predictor() {
    }

    /**
     * @param clientOpenFiles the client's open-file limit, -1 when unknown
     * @param launchSpread    the burst's measured launch spread, or Duration.ZERO before the run
     */
    public static Prediction predict(ServiceModel m, RunPlan plan, SynSchedule schedule, long clientOpenFiles, Duration launchSpread) {
        return predict(m, plan, schedule, clientOpenFiles, launchSpread, ServerKernel.UNKNOWN);
    }

    /**
     * As above, knowing the server kernel's SYN-cookie and abort-on-overflow settings: a burst's retry clusters that
     * meet a free slot are then forecast as answered whole (see {@link BurstForecast}).
     */
    public static Prediction predict(ServiceModel m, RunPlan plan, SynSchedule schedule, long clientOpenFiles, Duration launchSpread,
                                     ServerKernel kernel) {
        List<LoadPhase> phases = plan.phases();
        List<Integer> loads = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            if (phases.get(i).opensConnections()) {
                loads.add(i);
            }
        }
        List<String> notes = new ArrayList<>();
        int index = loads.isEmpty() ? 0 : loads.get(0);
        int occupied = 0;
        if (loads.size() > 1) {
            int last = loads.get(loads.size() - 1);
            int occ = occupiedBefore(m, plan, loads);
            if (occ >= 0) {
                index = last;
                occupied = occ;
                notes.add("predicted for phase " + last + ", the last load phase: the earlier ones leave the server holding "
                        + occ + " connections (it holds each for ever, the client keeps them, and each earlier phase is"
                        + " followed by a settle), so phase " + last + " finds " + (m.applicationSlots() + m.queueSlots() - occ)
                        + " of its " + (m.applicationSlots() + m.queueSlots()) + " slots free; summary.json's phases[" + last
                        + "] holds its own counts");
            } else {
                notes.add("predicted for phase " + index + " only; the run has " + loads.size() + " load phases and its totals mix them"
                        + " (phases[" + index + "] in summary.json holds that phase's own counts)");
            }
        }
        LoadPhase phase = phases.get(index);
        Integer limit = m.concurrentLimit().isPresent() ? m.concurrentLimit().getAsInt() : null;
        Duration connectTimeout = plan.client().connectTimeout();
        if (phase instanceof LoadPhase.HoldProbe h) {
            return hold(m, index, h, limit, occupied, clientOpenFiles, notes);
        }
        if (phase instanceof LoadPhase.Burst b) {
            return burst(m, index, b, limit, occupied, schedule, connectTimeout, launchSpread, clientOpenFiles, plan.client().holdUntilEnd(),
                    kernel, notes);
        }
        if (phase instanceof LoadPhase.Rate r) {
            RateForecast f = RateForecast.of(m, r.perSecond(), r.duration(), connectTimeout);
            if (r.poisson()) {
                notes.add("Poisson arrivals: the queue starts filling earlier than the mean rate says, in bursts");
            }
            return rate(m, index, phase, limit, f, notes);
        }
        if (phase instanceof LoadPhase.Ramp r) {
            if (r.steps() > 0) {
                notes.add("a stepped ramp is predicted as if it were linear");
            }
            return ramp(m, index, r, limit, RampForecast.of(m, r.fromPerSecond(), r.toPerSecond(), r.duration()), notes);
        }
        return new Prediction(m, index, phase, null, null, limit, BindingLimit.NONE,
                "No load: the run only pauses.", null, null, null, null, notes);
    }

    /**
     * Connections the load phases before the last one leave the server holding, when the theory can count them: a
     * pool (known W, B) that holds each connection for ever, a client that keeps every connection to the end, the
     * earlier load phases bursts or hold probes, each followed by a settle before the next load phase (so the next one
     * starts from that state), and a last phase that is a burst or a hold probe. -1 otherwise.
     */
    static int occupiedBefore(ServiceModel m, RunPlan plan, List<Integer> loads) {
        List<LoadPhase> phases = plan.phases();
        LoadPhase last = phases.get(loads.get(loads.size() - 1));
        if (!m.pooled() || m.effectiveBacklog() < 0 || m.holdMean() != null || !plan.client().holdUntilEnd()
                || !(last instanceof LoadPhase.Burst || last instanceof LoadPhase.HoldProbe)) {
            return -1;
        }
        int capacity = m.applicationSlots() + m.queueSlots();
        int occupied = 0;
        for (int k = 0; k < loads.size() - 1; k++) {
            boolean settled = false;
            for (int i = loads.get(k) + 1; i < loads.get(k + 1); i++) {
                settled |= phases.get(i) instanceof LoadPhase.Settle;
            }
            LoadPhase p = phases.get(loads.get(k));
            int wants;
            if (p instanceof LoadPhase.Burst b) {
                wants = b.connections();
            } else if (p instanceof LoadPhase.HoldProbe h) {
                wants = h.maxHeld();
            } else {
                return -1;
            }
            if (!settled) {
                return -1;
            }
            occupied += Math.min(wants, capacity - occupied);
        }
        return occupied;
    }

    /** "the server still holds the 4 connections of the earlier phases (4 workers busy); ", or "" when none. */
    static String occupiedText(ServiceModel m, int occupied) {
        if (occupied <= 0) {
            return "";
        }
        int busy = Math.min(occupied, m.applicationSlots());
        int queued = occupied - busy;
        return "the server still holds the " + occupied + " connection" + (occupied == 1 ? "" : "s") + " of the earlier phases ("
                + busy + (m.kind() == ServerKind.THREAD_POOL ? " worker/hand-off slots" : " worker" + (busy == 1 ? "" : "s")) + " busy"
                + (queued > 0 ? ", " + queued + " in the accept queue" : "") + "); ";
    }

    private static Prediction hold(ServiceModel m, int index, LoadPhase.HoldProbe h, Integer limit, int occupied,
                                   long clientOpenFiles, List<String> notes) {
        String q = "held_max";
        if (m.kind() == null) {
            return new Prediction(m, index, h, q, null, null, BindingLimit.NONE,
                    "W unknown: the external server's workers will be inferred from the measurement: W = served_max when the probe sees the application answer, else W = held - B - 1"
                            + (m.effectiveBacklog() < 0 ? ", once its effective backlog B is known (run its agent)." : " with B = " + m.effectiveBacklog() + "."),
                    null, null, null, null, notes);
        }
        long clientCap = clientOpenFiles > 0 ? clientOpenFiles - CLIENT_FD_RESERVE : Long.MAX_VALUE;
        if (m.kind() == ServerKind.EVENT_LOOP) {
            long cap = Math.min(h.maxHeld(), clientCap);
            return new Prediction(m, index, h, q, cap, null, BindingLimit.CLIENT,
                    "Binding limit: the client itself: event-loop accepts every connection (it is bounded by file descriptors and memory, not by B = "
                            + m.effectiveBacklog() + "), so the hold probe stops at " + (cap == h.maxHeld() ? "its max-held = " : "the client's open-file limit, about ") + cap + ".",
                    null, null, null, null, notes);
        }
        if (m.kind() == ServerKind.SLEEPY_ACCEPT) {
            return new Prediction(m, index, h, q, null, null, BindingLimit.SERVICE_RATE,
                    "Binding limit: the service rate: sleepy-accept admits 1 / " + Durations.format(m.acceptDelay()) + " = "
                            + n(m.serviceRate()) + " connections/s, so a hold probe has no fixed ceiling: each dropped SYN is retried and gets in once the acceptor catches up.",
                    null, null, null, null, notes);
        }
        if (limit == null) {
            return new Prediction(m, index, h, q, null, null, BindingLimit.NONE,
                    "Not predicted: the effective backlog B could not be read from the kernel, so W + B + 1 is unknown.",
                    null, null, null, null, notes);
        }
        if (m.holdMean() != null && m.holdMean().toNanos() < (long) limit * h.gap().toNanos()) {
            return new Prediction(m, index, h, q, null, limit, BindingLimit.SERVICE_RATE,
                    "Binding limit: the service rate: the server closes each connection after " + Durations.format(m.holdMean())
                            + ", before a probe opening one every " + Durations.format(h.gap()) + " reaches W + B + 1 = " + limit
                            + ", so it measures mu = " + n(m.serviceRate()) + "/s rather than a concurrent limit (use hold: forever).",
                    null, null, null, null, notes);
        }
        if (h.maxHeld() < limit || clientCap < limit) {
            long cap = Math.min(h.maxHeld(), clientCap);
            return new Prediction(m, index, h, q, cap, limit, BindingLimit.CLIENT,
                    "Binding limit: the client itself: the probe stops at " + (cap == h.maxHeld() ? "max-held = " : "the client's open-file limit, about ")
                            + cap + ", below the server's " + formula(m) + " = " + limit + ".",
                    null, null, null, null, notes);
        }
        BindingLimit b = concurrentBinding(m);
        if (occupied > 0) {
            return new Prediction(m, index, h, q, (long) Math.max(0, limit - occupied), limit, b,
                    "Binding limit: " + Prediction.bindingWords(b) + ": " + occupiedText(m, occupied) + "of " + formula(m) + " = " + limit
                            + " the probe can add only " + Math.max(0, limit - occupied) + ".", null, null, null, null, notes);
        }
        return new Prediction(m, index, h, q, (long) limit, limit, b, concurrentSentence(m, b, limit), null, null, null, null, notes);
    }

    static BindingLimit concurrentBinding(ServiceModel m) {
        if (m.clamped()) {
            return BindingLimit.SOMAXCONN_CLAMP;
        }
        return m.applicationSlots() >= m.queueSlots() ? BindingLimit.WORKERS : BindingLimit.BACKLOG;
    }

    static String formula(ServiceModel m) {
        return m.kind() == ServerKind.THREAD_POOL ? "W + Q + B + 1" : "W + B + 1";
    }

    private static String concurrentSentence(ServiceModel m, BindingLimit b, int limit) {
        String held = m.workers() + " workers" + (m.kind() == ServerKind.THREAD_POOL ? " and a hand-off queue of " + m.queue() : "")
                + " hold their connections" + (m.holdMean() == null ? " for ever" : "");
        String tail = ", so " + formula(m) + " = " + limit + " connections complete the handshake and further SYNs are dropped.";
        return switch (b) {
            case SOMAXCONN_CLAMP -> "Binding limit: the somaxconn clamp: listen() asked for " + m.requestedBacklog()
                    + " but net.core.somaxconn = " + m.somaxconn() + " silently cut the backlog to B = " + m.effectiveBacklog()
                    + "; " + held + tail;
            case WORKERS -> "Binding limit: the workers: " + held + " and the accept queue adds only B + 1 = " + m.queueSlots() + tail;
            default -> "Binding limit: the listen backlog: " + held + " and the accept queue holds B + 1 = " + m.queueSlots() + " more" + tail;
        };
    }

    private static Prediction burst(ServiceModel m, int index, LoadPhase.Burst b, Integer limit, int occupied, SynSchedule schedule,
                                    Duration connectTimeout, Duration launchSpread, long clientOpenFiles, boolean holdUntilEnd,
                                    ServerKernel kernel, List<String> notes) {
        String q = "admitted_at_once";
        int n = b.connections();
        if (holdUntilEnd && clientOpenFiles > 0 && n > clientOpenFiles - CLIENT_FD_RESERVE) {
            return new Prediction(m, index, b, q, null, limit, BindingLimit.CLIENT,
                    "Binding limit: the client itself: holding " + n + " connections needs more than its open-file limit of " + clientOpenFiles + ".",
                    null, null, null, null, notes);
        }
        if (m.kind() == null) {
            return new Prediction(m, index, b, q, null, null, BindingLimit.NONE,
                    "W unknown: for an external server the theory can say only that B + 1"
                            + (m.effectiveBacklog() < 0 ? "" : " = " + m.queueSlots()) + " fit in its accept queue at once, plus whatever its workers take.",
                    null, null, null, null, notes);
        }
        if (m.kind() == ServerKind.EVENT_LOOP) {
            return new Prediction(m, index, b, q, (long) n, null, BindingLimit.NONE,
                    "No binding limit: event-loop accepts as fast as the burst of " + n + " arrives (file descriptors and memory bound it, not B = "
                            + m.effectiveBacklog() + "), so all of them connect at once.", null, null, null, null, notes);
        }
        BurstForecast f = BurstForecast.of(m, n, schedule, connectTimeout, launchSpread, occupied, kernel);
        if (f == null) {
            return new Prediction(m, index, b, q, null, limit, BindingLimit.NONE,
                    "Not predicted: with hold 0 the workers free their slots at once, so whether the burst overflows B + 1 = " + m.queueSlots()
                            + " depends on accept() speed against the launch spread, which this model does not cover.",
                    null, null, null, null, notes);
        }
        notes.add("admitted at once assumes the burst is launched faster than a worker's hold time; the client's launch spread is in launch_spread_ms");
        int busy = Math.min(occupied, m.applicationSlots());
        int freeQueue = m.queueSlots() - (occupied - busy);
        String queueText = freeQueue == m.queueSlots() ? "B + 1 = " + m.queueSlots() + " queue slots"
                : freeQueue + " free queue slots (B + 1 = " + m.queueSlots() + ", " + (m.queueSlots() - freeQueue) + " taken)";
        if (f.admittedAtOnce() >= n) {
            return new Prediction(m, index, b, q, (long) f.admittedAtOnce(), limit, BindingLimit.NONE,
                    "No binding limit: " + occupiedText(m, occupied) + "the burst of " + n + " fits in " + queueText
                            + (busy < m.applicationSlots() ? " plus the idle workers." : "."),
                    f, null, null, null, notes);
        }
        BindingLimit binding = m.clamped() ? BindingLimit.SOMAXCONN_CLAMP : BindingLimit.BACKLOG;
        StringBuilder s = new StringBuilder("Binding limit: ").append(binding == BindingLimit.SOMAXCONN_CLAMP
                ? "the somaxconn clamp (listen() asked for " + m.requestedBacklog() + ", net.core.somaxconn = " + m.somaxconn() + " made it B = " + m.effectiveBacklog() + "): "
                : "the listen backlog: ");
        s.append(occupiedText(m, occupied)).append("a burst of ").append(n).append(" finds ").append(queueText);
        int taken = f.admittedAtOnce() - freeQueue;
        if (taken > 0) {
            s.append(" and ").append(taken).append(m.kind() == ServerKind.SLEEPY_ACCEPT ? " accepted" : " idle worker" + (taken == 1 ? "" : "s")
                    + (m.kind() == ServerKind.THREAD_POOL ? "/hand-off slots" : ""));
        }
        s.append(", so about ").append(f.admittedAtOnce()).append(" connect at once and the other ").append(n - f.admittedAtOnce())
                .append(" wait for SYN retransmits");
        if (!f.clusters().isEmpty()) {
            s.append(" (").append(clusterText(f)).append(')');
        }
        if (f.phantoms() > 0) {
            s.append(", ").append(f.phantoms()).append(" of them end connected on the client's side only (the server answers a"
                    + " retry cluster whole once it has a free slot: SYN cookies on, tcp_abort_on_overflow = 0; the refilled queue"
                    + " drops their final ACKs: phantoms)");
        }
        if (f.timeouts() > 0) {
            s.append(", ").append(f.timeouts()).append(" of them time out after ").append(Durations.format(connectTimeout));
        }
        s.append("; more workers would not change this, a larger backlog would.");
        if (f.phantoms() > 0 && m.holdMean() != null) {
            notes.add("of the " + f.phantoms() + " connected without a server socket, up to B = " + m.effectiveBacklog()
                    + " are half-open request sockets the server may still take when a worker frees a slot (it retransmits"
                    + " its SYN-ACK), so the census at the end of the load can count fewer");
        }
        return new Prediction(m, index, b, q, (long) f.admittedAtOnce(), limit, binding, s.toString(), f, null, null, null, notes);
    }

    private static String clusterText(BurstForecast f) {
        List<String> parts = new ArrayList<>();
        for (BurstForecast.Cluster c : f.clusters()) {
            if (parts.size() == 4) {
                parts.add("...");
                break;
            }
            parts.add(c.count() + " at " + Durations.format(c.at()));
        }
        return String.join(", ", parts);
    }

    private static Prediction rate(ServiceModel m, int index, LoadPhase phase, Integer limit, RateForecast f, List<String> notes) {
        if (f == null) {
            return new Prediction(m, index, phase, null, null, null, BindingLimit.NONE,
                    "W unknown: the theory needs the server's service rate mu = W / mean hold to say when its queue fills.",
                    null, null, null, null, notes);
        }
        if (m.kind() == ServerKind.EVENT_LOOP) {
            return new Prediction(m, index, phase, null, null, null, BindingLimit.NONE,
                    "No binding limit: event-loop accepts as fast as " + n(f.lambda()) + " connections/s arrive; no accept queue builds.",
                    null, f, null, null, notes);
        }
        String mu = muText(m);
        if (!f.overloaded()) {
            return new Prediction(m, index, phase, null, null, limit, BindingLimit.NONE,
                    "No binding limit: lambda = " + n(f.lambda()) + "/s stays within " + mu + ", so no queue builds.",
                    null, f, null, null, notes);
        }
        if (!f.fills()) {
            return new Prediction(m, index, phase, null, null, limit, BindingLimit.NONE,
                    "No binding limit within the phase: lambda = " + n(f.lambda()) + "/s exceeds " + mu
                            + ", but the accept queue would fill only after the phase ends.", null, f, null, null, notes);
        }
        BindingLimit b = f.mu() == 0 ? concurrentBinding(m) : BindingLimit.SERVICE_RATE;
        String s = (b == BindingLimit.SERVICE_RATE ? "Binding limit: the service rate: " : "Binding limit: " + Prediction.bindingWords(b) + ": ")
                + "lambda = " + n(f.lambda()) + "/s exceeds " + mu + ", so the accept queue is full after about "
                + n(round2(f.fullAfterS())) + " s and then about " + n(round2(f.dropRate())) + " new SYNs/s are dropped (plus their retransmits).";
        return new Prediction(m, index, phase, null, null, limit, b, s, null, f, null, null, notes);
    }

    private static Prediction ramp(ServiceModel m, int index, LoadPhase.Ramp r, Integer limit, RampForecast f, List<String> notes) {
        if (f == null) {
            return new Prediction(m, index, r, null, null, null, BindingLimit.NONE,
                    "W unknown: the theory needs the server's service rate to say when a ramp overloads it.", null, null, null, null, notes);
        }
        if (Double.isNaN(f.crossingS())) {
            return new Prediction(m, index, r, null, null, limit, BindingLimit.NONE,
                    "No binding limit: the ramp tops out at " + n(f.to()) + "/s, within " + muText(m) + ".", null, null, f, null, notes);
        }
        if (Double.isNaN(f.fullAfterS())) {
            return new Prediction(m, index, r, null, null, limit, BindingLimit.NONE,
                    "No binding limit within the ramp: it passes " + muText(m) + " at about " + n(round2(f.crossingS()))
                            + " s but the accept queue would fill only after it ends.", null, null, f, null, notes);
        }
        return new Prediction(m, index, r, null, null, limit, BindingLimit.SERVICE_RATE,
                "Binding limit: the service rate: the ramp passes " + muText(m) + " at about " + n(round2(f.crossingS()))
                        + " s and the accept queue is full at about " + n(round2(f.fullAfterS())) + " s, after which SYNs are dropped.",
                null, null, f, null, notes);
    }

    private static String muText(ServiceModel m) {
        if (m.kind() == ServerKind.SLEEPY_ACCEPT) {
            return "the accept rate mu = 1 / " + Durations.format(m.acceptDelay()) + " = " + n(round2(m.serviceRate())) + "/s";
        }
        if (m.holdMean() == null) {
            return "mu = 0 (the workers hold for ever)";
        }
        return "mu = W / mean hold = " + m.workers() + " / " + Durations.format(m.holdMean()) + " = " + n(round2(m.serviceRate())) + "/s";
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
