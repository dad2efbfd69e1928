package io.conlimit.fleet;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.target.Durations;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The client fleet: Netty event loops (epoll when available, else NIO without SYN retransmit counts) that
 * produce a run's load phases and report every connection to a {@link FleetListener}.
 * Phases run in order; a burst, rate or ramp phase ends when its last connect() was called (its
 * connections settle in the background), a hold probe when it stops, a pause after its duration.
 */
public final class Fleet implements AutoCloseable {
    /** How long past every timer the run waits for connections to settle before giving up. */
    private static final long SETTLE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long SCHEDULE_SEED = 0x5eed_c0ffeeL;

    /** Told when each phase begins (progress lines). */
    @FunctionalInterface
    public interface PhaseObserver {
        void phaseStarted(int index, String description);

        PhaseObserver NONE = (i, d) -> { };
    }

    private final Transport transport;
    private final boolean directSockets;
    private int shardIndex;
    private int shardCount = 1;
    private static final Runnable NO_GATE = () -> { };
    private Runnable startGate = NO_GATE;

    /** One event loop per available processor. */
    public Fleet() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** Direct sockets where possible unless the system property {@code conlimit.direct} is false. */
    public Fleet(int eventLoops) {
        this(eventLoops, Boolean.parseBoolean(System.getProperty("conlimit.direct", "true")));
    }

    /**
     * @param directSockets whether connections that need no channel (connect or banner probe, epoll) run on bare
     *                      sockets ({@link DirectConnect}); false keeps every connection on a Netty channel
     */
    public Fleet(int eventLoops, boolean directSockets) {
        this.transport = new Transport(eventLoops);
        this.directSockets = directSockets;
    }

    /**
     * How a run of these phases with these options connects: "direct" (bare non-blocking sockets,
     * {@link DirectConnect}: the connect and banner probes, held or not), "channel" (a Netty channel per connection:
     * every probe that writes or decodes a reply, the hold probe, NIO) or "mixed" (direct for its burst, rate and
     * ramp phases, channels for its hold probe).
     */
    public String connectPath(ClientOptions client, List<LoadPhase> phases) {
        boolean probe = phases.stream().anyMatch(p -> p instanceof LoadPhase.HoldProbe);
        boolean others = phases.stream().anyMatch(p -> p.opensConnections() && !(p instanceof LoadPhase.HoldProbe));
        if (!others || !RunContext.direct(transport, client, directSockets)) {
            return "channel";
        }
        return probe ? "mixed" : "direct";
    }

    /**
     * This fleet runs shard {@code index} of {@code count}: its rate and ramp phases keep every count-th arrival of
     * the one schedule (see {@link ArrivalSchedule#shard}). Bursts and hold probes are split in the plan.
     */
    public Fleet shard(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist");
        }
        this.shardIndex = index;
        this.shardCount = count;
        return this;
    }

    /**
     * The first phase that opens connections waits for {@code gate} right before its first connect (a burst after
     * preparing its sockets): how the shards of a fleet start together.
     */
    public Fleet startGate(Runnable gate) {
        this.startGate = gate;
        return this;
    }

    /** "epoll" or "nio". */
    public String transportName() {
        return transport.name();
    }

    /** Whether SYN retransmits are read from TCP_INFO (epoll); on NIO they are -1. */
    public boolean synRetransmitsKnown() {
        return transport.epoll();
    }

    /** The one-line notice to print before a run on NIO, or null on epoll. */
    public String notice() {
        return transport.notice();
    }

    public int eventLoops() {
        return transport.loops().size();
    }

    public FleetResult run(InetSocketAddress target, ClientOptions client, List<LoadPhase> phases,
                           FleetListener listener, long epochNanos) throws InterruptedException {
        return run(target, client, phases, listener, epochNanos, PhaseObserver.NONE);
    }

    /**
     * Runs the phases in order against {@code target} (after a warm-up of the connect path against a private
     * loopback listener when the load is big, see {@link WarmUp}: noted on phase 0); returns when every connection has been decided and
     * closed. Connections held until the end are closed (per the close mode) once the last phase is over and
     * everything else has settled. Times given to the listener are System.nanoTime() - epochNanos.
     *
     * @throws IllegalStateException when connections do not settle within their timers plus a grace period, or
     *                               when the listener threw (after the run settled: the records are incomplete)
     */
    public FleetResult run(InetSocketAddress target, ClientOptions client, List<LoadPhase> phases,
                           FleetListener listener, long epochNanos, PhaseObserver observer) throws InterruptedException {
        return run(target, client, phases, listener, epochNanos, observer, () -> { });
    }

    /**
     * As above; {@code endOfLoad} runs once every connection has its outcome, while the held ones are still open
     * (right before they are closed).
     */
    public FleetResult run(InetSocketAddress target, ClientOptions client, List<LoadPhase> phases,
                           FleetListener listener, long epochNanos, PhaseObserver observer, Runnable endOfLoad)
            throws InterruptedException {
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("target " + target + " is not resolved");
        }
        boolean direct = RunContext.direct(transport, client, directSockets);
        String warmUp = WarmUp.wanted(phases) ? WarmUp.run(transport, direct)
                // a common start: the first connects must not run cold (class loading, the interpreter: tens of ms), so
                // the connect path of the first phase that connects is warmed up before the gate whatever the load's
                // size (a hold probe connects on channels even where the other phases are direct)
                : startGate != NO_GATE ? WarmUp.run(transport, direct && !firstConnectsInAHoldProbe(phases)) : "";
        RunContext run = new RunContext(transport, target, client, listener, epochNanos, directSockets,
                phases.stream().anyMatch(p -> p instanceof LoadPhase.HoldProbe));
        run.startGate(startGate, startGate != NO_GATE);
        List<PhaseStats> stats = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            LoadPhase shape = phases.get(i);
            PhaseStats ps = new PhaseStats(i, describe(shape), shape instanceof LoadPhase.HoldProbe);
            if (i == 0 && !warmUp.isEmpty()) {
                ps.addNote(warmUp);
            }
            stats.add(ps);
            observer.phaseStarted(i, ps.description);
            if (!shape.opensConnections()) {
                run.releaseOnce(); // a phase that connects passes the gate itself, once it is ready to connect
            }
            if (shape instanceof LoadPhase.Burst b) {
                BurstPhase.run(run, ps, b.connections());
            } else if (shape instanceof LoadPhase.Rate || shape instanceof LoadPhase.Ramp) {
                PacedPhase.run(run, ps, ArrivalSchedule.of(shape, SCHEDULE_SEED + i).shard(shardIndex, shardCount));
            } else if (shape instanceof LoadPhase.HoldProbe h) {
                HoldProbePhase.run(run, ps, h);
            } else if (shape instanceof LoadPhase.Pause p) {
                TimeUnit.NANOSECONDS.sleep(p.duration().toNanos());
            } else if (shape instanceof LoadPhase.Settle s) {
                settle(run, ps, s);
            }
        }
        long timers = client.connectTimeout().toNanos() + client.responseTimeout().toNanos()
                + (client.holdUntilEnd() ? 0 : client.hold().toNanos());
        if (!run.unsettled.awaitZero(System.nanoTime() + timers + SETTLE_GRACE_NANOS)) {
            throw new IllegalStateException(run.unsettled.value() + " connections did not settle within their timeouts");
        }
        endOfLoad.run();
        for (HeldToEnd c : run.heldSet) {
            c.loop().execute(c::closeAtEnd);
        }
        if (!run.heldToEnd.awaitZero(System.nanoTime() + SETTLE_GRACE_NANOS)) {
            throw new IllegalStateException(run.heldToEnd.value() + " held connections did not close at the end");
        }
        String internal = run.internalError.get();
        if (internal != null) {
            throw new IllegalStateException("the client fleet broke its own rules, the records cannot be trusted: " + internal);
        }
        RuntimeException failure = run.listenerFailure.get();
        if (failure != null) {
            throw new IllegalStateException("the fleet listener failed, the records are incomplete: " + failure, failure);
        }
        return result(run, phases, stats);
    }

    private static boolean firstConnectsInAHoldProbe(List<LoadPhase> phases) {
        return phases.stream().filter(LoadPhase::opensConnections).findFirst().orElse(null) instanceof LoadPhase.HoldProbe;
    }

    /** Waits until every connection started so far has its outcome, at most the phase's maximum; notes a timeout. */
    private static void settle(RunContext run, PhaseStats ps, LoadPhase.Settle s) throws InterruptedException {
        if (!run.unsettled.awaitZero(System.nanoTime() + s.max().toNanos())) {
            ps.addNote(run.unsettled.value() + " connections still had no outcome after " + Durations.format(s.max())
                    + "; the next phase started anyway");
        }
    }

    private FleetResult result(RunContext run, List<LoadPhase> phases, List<PhaseStats> stats) {
        List<FleetResult.PhaseResult> out = new ArrayList<>();
        for (int i = 0; i < stats.size(); i++) {
            PhaseStats ps = stats.get(i);
            LoadPhase shape = phases.get(i);
            boolean burst = shape instanceof LoadPhase.Burst;
            long first = ps.firstCall();
            long last = ps.lastCall();
            out.add(new FleetResult.PhaseResult(i, kind(shape), ps.description,
                    burst && first >= 0 ? last - first : -1, ps.holdProbe ? ps.heldMax : -1,
                    ps.holdProbe ? ps.servedMax : -1, ps.holdProbe ? ps.stoppedBy : null, ps.note()));
        }
        return new FleetResult(transport.name(), transport.epoll(), out);
    }

    static String kind(LoadPhase p) {
        if (p instanceof LoadPhase.Burst) {
            return "burst";
        }
        if (p instanceof LoadPhase.Rate) {
            return "rate";
        }
        if (p instanceof LoadPhase.Ramp) {
            return "ramp";
        }
        if (p instanceof LoadPhase.HoldProbe) {
            return "hold-probe";
        }
        return p instanceof LoadPhase.Settle ? "settle" : "pause";
    }

    /** A one-line description of a phase, for progress lines and run.json. */
    public static String describe(LoadPhase p) {
        if (p instanceof LoadPhase.Burst b) {
            return "burst of " + b.connections();
        }
        if (p instanceof LoadPhase.Rate r) {
            return "rate " + num(r.perSecond()) + "/s for " + Durations.format(r.duration()) + (r.poisson() ? " (Poisson)" : "");
        }
        if (p instanceof LoadPhase.Ramp r) {
            return "ramp " + num(r.fromPerSecond()) + "/s to " + num(r.toPerSecond()) + "/s over " + Durations.format(r.duration())
                    + (r.steps() > 0 ? " in " + r.steps() + " steps" : "");
        }
        if (p instanceof LoadPhase.HoldProbe h) {
            return "hold probe (gap " + Durations.format(h.gap()) + ", max " + h.maxHeld() + " held, stop after "
                    + h.stopAfterFailures() + " failures)";
        }
        if (p instanceof LoadPhase.Settle s) {
            return "settle (until every connection has its outcome, at most " + Durations.format(s.max()) + ")";
        }
        LoadPhase.Pause pause = (LoadPhase.Pause) p;
        return "pause " + Durations.format(pause.duration());
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.2f", v);
    }


    @Override
    public void close() {
        transport.shutdown();
    }
}
