package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import io.netty.channel.EventLoop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The concurrent-limit probe: one connect at a time on one event loop, {@code gap} after the previous one
 * was decided; successes stay open until the run ends. Stops after K consecutive failures, N held, or
 * (a bound on every load loop) 2N + K attempts.
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
        p.loop.execute(p::next);
        try {
            p.done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("hold probe failed: " + e.getCause(), e.getCause());
        }
    }

    private void next() {
        try {
            attempts++;
            Connection c = run.newChannelConnection(loop, phase);
            c.launch(run.now());
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    @Override
    public void decided(Connection connection, Outcome outcome) {
        consecutiveFailures = outcome.probeSucceeded() ? 0 : consecutiveFailures + 1;
        if (outcome == Outcome.CLIENT_LIMITED) {
            // the generator's own limit (open files, ephemeral ports): never the server's concurrent limit
            phase.note = "stopped by the CLIENT's own limit (client-limited) with " + phase.heldNow
                    + " held: held_max is the generator's limit here, not the server's";
            done.complete(null);
        } else if (phase.heldNow >= shape.maxHeld() || consecutiveFailures >= shape.stopAfterFailures()) {
            done.complete(null);
        } else if (attempts >= maxAttempts) {
            phase.addNote("stopped after " + attempts + " attempts (held " + phase.heldNow + "): connections kept closing");
            done.complete(null);
        } else {
            loop.schedule(this::next, shape.gap().toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
