package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The concurrent-limit probe: one connect at a time on one event loop. Each attempt is judged {@code gap} after
 * its handshake completed or failed: it is held when it is still open and the application has not refused it
 * (a refusal reply, a close or a reset that follows the handshake at once is then already in), else it is a
 * failure. Held connections stay open until the run ends; a probe that waits for an answer (banner, request,
 * http) keeps waiting in the background, so a connection queued behind busy workers counts as held (the server's
 * kernel holds it) but not as served. Stops after K consecutive failures, N held, the client's own limit, or (a
 * bound on every load loop) 2N + K attempts; {@link PhaseStats#stoppedBy} says which.
 */
final class HoldProbePhase implements PhaseStats.DecisionHook {
    private final RunContext run;
    private final PhaseStats phase;
    private final LoadPhase.HoldProbe shape;
    private final EventLoop loop;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final long maxAttempts;
    private int consecutiveFailures;
    private long attempts;
    /** The attempt being judged; its handshake result schedules {@link #judge}, once. */
    private Connection current;
    private boolean judging;

    private HoldProbePhase(RunContext run, PhaseStats phase, LoadPhase.HoldProbe shape) {
        this.run = run;
        this.phase = phase;
        this.shape = shape;
        this.loop = run.transport.loops().get(0);
        this.maxAttempts = 2L * shape.maxHeld() + shape.stopAfterFailures();
    }

    static void run(RunContext run, PhaseStats phase, LoadPhase.HoldProbe shape) throws InterruptedException {
        HoldProbePhase p = new HoldProbePhase(run, phase, shape);
        phase.hook = p;
        p.loop.execute(p::first);
        try {
            p.done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("hold probe failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The first attempt, on the probe's own loop: its channel is created and registered (and bound) before the start
     * gate, so that only the connect() call follows the instant, with no hand-off to another thread.
     */
    private void first() {
        Connection c;
        Future<Void> ready;
        try {
            c = run.newChannelConnection(loop, phase);
            ready = c.prepare();
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
            return;
        }
        if (ready.isDone()) {
            release(c);
        } else {
            ready.addListener(f -> release(c));
        }
    }

    private void release(Connection first) {
        try {
            run.releaseOnce();
        } catch (RuntimeException e) {
            done.completeExceptionally(e); // the run fails; the channel, never connected, closes with the transport (as a burst's)
            return;
        }
        begin(first).connectNow(run.now());
        run.firstCallMade();
        first.called();
    }

    private void next() {
        try {
            begin(run.newChannelConnection(loop, phase)).launch(run.now());
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    /** {@code c} is the attempt being judged from now on. */
    private Connection begin(Connection c) {
        attempts++;
        judging = false;
        current = c;
        return c;
    }

    @Override
    public void handshake(Connection connection) {
        scheduleJudge(connection);
    }

    @Override
    public void decided(Connection connection, Outcome outcome) {
        if (outcome == Outcome.CLIENT_LIMITED && connection == current) {
            // the generator's own limit (open files, ephemeral ports): never the server's concurrent limit
            look();
            stop("client-limited");
            phase.addNote("stopped by the CLIENT's own limit (client-limited) with " + phase.heldNow
                    + " held: held_max is the generator's limit here, not the server's");
            return;
        }
        if (!outcome.handshakeCompleted()) {
            scheduleJudge(connection); // the handshake failed: connect-timeout, refused, error
        }
    }

    private void scheduleJudge(Connection connection) {
        if (connection != current || judging || done.isDone()) {
            return;
        }
        judging = true;
        loop.schedule(() -> judge(connection), shape.gap().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void judge(Connection connection) {
        if (done.isDone()) {
            return;
        }
        consecutiveFailures = connection.heldNow() ? 0 : consecutiveFailures + 1;
        look();
        if (phase.heldNow >= shape.maxHeld()) {
            stop("max-held");
            phase.addNote("stopped at its own cap of " + shape.maxHeld() + " held connections (--max-held): the server"
                    + " may hold more; held_max is the CLIENT's cap here, not the server's limit");
        } else if (consecutiveFailures >= shape.stopAfterFailures()) {
            stop("failures");
        } else if (attempts >= maxAttempts) {
            stop("attempts");
            phase.addNote("stopped after " + attempts + " attempts (held " + phase.heldNow + "): connections kept closing");
        } else {
            next();
        }
    }

    /** Takes the held and served counts now into their maxima. */
    private void look() {
        phase.heldMax = Math.max(phase.heldMax, phase.heldNow);
        phase.servedMax = Math.max(phase.servedMax, phase.servedNow);
    }

    private void stop(String why) {
        phase.stoppedBy = why;
        done.complete(null);
    }
}
