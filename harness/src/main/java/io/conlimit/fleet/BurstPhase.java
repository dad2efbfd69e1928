package io.conlimit.fleet;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * N connects released at the same instant: every socket is created, registered (and bound) first; then the loops
 * with a share wait for the release and each calls connect() for its share in a tight loop. The release is given by
 * the first of them (the gate loop): once every other loop is running and waiting, it passes the run's start gate
 * (a fleet's common start instant, else at once) and calls its first connect() right after, on the same thread: no
 * hand-off to another thread between the instant and the first connect (on a busy machine each wake-up of a parked
 * thread cost milliseconds of a fleet's start spread), then gives up its CPU once ({@link RunContext#firstCallMade}).
 * The intended start of every connection is the release;
 * the launch spread is last call minus first.
 */
final class BurstPhase {
    private static final long PREPARE_TIMEOUT_SECONDS = 120;
    /** How long the gate loop waits for the other loops to be running before it releases without them. */
    private static final long READY_TIMEOUT_SECONDS = 30;

    private BurstPhase() {
    }

    static void run(RunContext run, PhaseStats phase, int connections) throws InterruptedException {
        List<EventLoop> loops = run.transport.loops();
        int n = loops.size();
        List<List<Attempt>> shares = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            shares.add(new ArrayList<>(connections / n + 1));
        }
        for (int i = 0; i < connections; i++) {
            shares.get(i % n).add(run.newConnection(loops.get(i % n), phase));
        }
        prepare(run, loops, shares);
        int active = Math.min(n, connections); // shares are dealt from loop 0: the first `active` loops have one
        if (active == 0) {
            run.releaseOnce();
            return;
        }
        long[] release = {-1};
        CountDownLatch ready = new CountDownLatch(active - 1);
        CountDownLatch released = new CountDownLatch(1);
        CountDownLatch launched = new CountDownLatch(active);
        AtomicReference<Thread> gateThread = new AtomicReference<>();
        AtomicReference<RuntimeException> gateFailure = new AtomicReference<>();
        for (int k = 0; k < active; k++) {
            List<Attempt> share = shares.get(k);
            boolean gate = k == 0;
            loops.get(k).execute(() -> {
                try {
                    long intended;
                    if (gate) {
                        try {
                            intended = release(run, phase, ready, gateThread);
                        } catch (RuntimeException e) {
                            gateFailure.set(e); // the run fails with it; no loop connects
                            return;
                        }
                        release[0] = intended;
                        released.countDown();
                    } else {
                        ready.countDown();
                        released.await(); // the gate loop counts it down whatever happens (finally below)
                        intended = release[0];
                        if (intended < 0) {
                            return; // the gate failed or was interrupted: nothing is sent
                        }
                    }
                    long first = share.get(0).connectNow(intended);
                    if (gate) {
                        run.firstCallMade();
                    }
                    long last = first;
                    for (int i = 1; i < share.size(); i++) {
                        last = share.get(i).connectNow(intended);
                    }
                    phase.calls(first, last);
                    for (Attempt c : share) {
                        c.called();
                    }
                } catch (InterruptedException e) {
                    // only when the run itself was interrupted (stopped): nothing is sent, the run ends
                    phase.addNote("burst stopped before its release: its connections were not started");
                } finally {
                    released.countDown();
                    launched.countDown();
                }
            });
        }
        try {
            launched.await();
        } catch (InterruptedException e) {
            Thread t = gateThread.get();
            if (t != null) {
                t.interrupt(); // a stopped run must not leave an event loop waiting for the start instant
            }
            throw e;
        }
        if (gateFailure.get() != null) {
            throw gateFailure.get();
        }
    }

    /** On the gate loop: waits until the other loops are running, then passes the start gate; the release time. */
    private static long release(RunContext run, PhaseStats phase, CountDownLatch ready, AtomicReference<Thread> gateThread)
            throws InterruptedException {
        if (!ready.await(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            phase.addNote("burst release: not every event loop was running after " + READY_TIMEOUT_SECONDS
                    + " s; released without waiting for them");
        }
        gateThread.set(Thread.currentThread());
        try {
            run.releaseOnce();
        } finally {
            gateThread.set(null);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted at the start gate");
        }
        return run.now();
    }

    private static void prepare(RunContext run, List<EventLoop> loops, List<List<Attempt>> shares) throws InterruptedException {
        List<Future<?>> perLoop = new ArrayList<>();
        List<List<Future<Void>>> ready = new ArrayList<>();
        for (int k = 0; k < loops.size(); k++) {
            List<Attempt> share = shares.get(k);
            List<Future<Void>> r = new ArrayList<>(share.size());
            ready.add(r);
            perLoop.add(loops.get(k).submit(() -> {
                run.prepareThread();
                for (Attempt c : share) {
                    r.add(c.prepare());
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PREPARE_TIMEOUT_SECONDS);
        for (Future<?> f : perLoop) {
            await(f, deadline);
        }
        for (List<Future<Void>> r : ready) {
            for (Future<Void> f : r) {
                await(f, deadline);
            }
        }
    }

    private static void await(Future<?> f, long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !f.await(left, TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("burst: preparing the sockets took longer than " + PREPARE_TIMEOUT_SECONDS + " s");
        }
        if (!f.isSuccess()) {
            throw new IllegalStateException("burst: preparing the sockets failed: " + f.cause(), f.cause());
        }
    }
}
