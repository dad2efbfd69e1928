package io.conlimit.fleet;

import io.conlimit.text.PlainErrors;
import io.netty.channel.EventLoop;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An open-loop arrival stream (rate or ramp). Every event loop runs a pacer that takes the next intended
 * start from the shared schedule and schedules itself for it; when it wakes late it connects at once and
 * the start counts as late. Latency always counts from the intended time: nothing is skipped or re-timed.
 * Each loop prepares its thread (the listener's recorder) before the first intended start.
 */
final class PacedPhase {
    /** Lead time so every loop's pacer is running before the first arrival. */
    static final long LEAD_NANOS = 5_000_000;
    /** A pacer that is behind yields to I/O after this many connects in one go. */
    private static final int BATCH = 64;

    private PacedPhase() {
    }

    static void run(RunContext run, PhaseStats phase, ArrivalSchedule schedule) throws InterruptedException {
        List<EventLoop> loops = run.transport.loops();
        CountDownLatch prepared = new CountDownLatch(loops.size());
        for (EventLoop loop : loops) {
            loop.execute(() -> {
                try {
                    run.prepareThread();
                } finally {
                    prepared.countDown(); // even after an Error (Netty would log and swallow it): never hang here
                }
            });
        }
        prepared.await(); // the first intended start comes after every loop has prepared
        run.releaseOnce(); // a common start instant: after preparing, so the schedule begins right after it
        long start = run.now() + LEAD_NANOS;
        CountDownLatch done = new CountDownLatch(loops.size());
        for (EventLoop loop : loops) {
            loop.execute(new Pacer(run, phase, schedule, loop, start, done));
        }
        done.await();
    }

    private static final class Pacer implements Runnable {
        private final RunContext run;
        private final PhaseStats phase;
        private final ArrivalSchedule schedule;
        private final EventLoop loop;
        private final long start;
        private final CountDownLatch done;
        private long pending = -1;
        private long first = -1;
        private long last = -1;

        Pacer(RunContext run, PhaseStats phase, ArrivalSchedule schedule, EventLoop loop, long start, CountDownLatch done) {
            this.run = run;
            this.phase = phase;
            this.schedule = schedule;
            this.loop = loop;
            this.start = start;
            this.done = done;
        }

        @Override
        public void run() {
            try {
                pace();
            } catch (RuntimeException e) {
                // a pacer that died would hang the phase: say why and let the run end (the unsettled check reports it)
                phase.addNote("a pacer stopped: " + PlainErrors.message(e));
                done.countDown();
            }
        }

        private void pace() {
            for (int launched = 0; ; ) {
                if (pending < 0) {
                    long t = schedule.next();
                    if (t < 0) {
                        if (first >= 0) {
                            phase.calls(first, last);
                        }
                        done.countDown();
                        return;
                    }
                    pending = start + t;
                }
                long now = run.now();
                if (pending > now) {
                    loop.schedule(this, pending - now, TimeUnit.NANOSECONDS);
                    return;
                }
                if (launched == BATCH) {
                    loop.execute(this);
                    return;
                }
                Attempt c = run.newConnection(loop, phase);
                c.launch(pending);
                long call = c.callNanos(); // -1 when preparing did not finish inline: it connects later
                if (call >= 0) {
                    first = first < 0 ? call : Math.min(first, call);
                    last = Math.max(last, call);
                }
                pending = -1;
                launched++;
            }
        }
    }
}
