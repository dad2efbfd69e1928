package io.conlimit.fleet;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N connects released at the same instant: every socket is created, registered (and bound) first, each
 * event loop then waits on one barrier and calls connect() for its share in a tight loop. The intended
 * start of every connection is the instant the barrier tripped; the launch spread is last call minus first.
 */
final class BurstPhase {
    private static final long PREPARE_TIMEOUT_SECONDS = 120;

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
        run.releaseOnce(); // a common start instant: every socket is ready, the connects follow at once

        long[] release = {-1};
        CyclicBarrier barrier = new CyclicBarrier(n, () -> release[0] = run.now());
        CountDownLatch launched = new CountDownLatch(n);
        for (int k = 0; k < n; k++) {
            List<Attempt> share = shares.get(k);
            loops.get(k).execute(() -> {
                try {
                    long intended;
                    try {
                        barrier.await(30, TimeUnit.SECONDS);
                        intended = release[0];
                    } catch (BrokenBarrierException | TimeoutException | InterruptedException e) {
                        phase.addNote("burst release barrier failed (" + e.getClass().getSimpleName() + "): launched without it");
                        intended = run.now();
                    }
                    if (share.isEmpty()) {
                        return;
                    }
                    long first = share.get(0).connectNow(intended);
                    long last = first;
                    for (int i = 1; i < share.size(); i++) {
                        last = share.get(i).connectNow(intended);
                    }
                    phase.calls(first, last);
                    for (Attempt c : share) {
                        c.called();
                    }
                } finally {
                    launched.countDown();
                }
            });
        }
        launched.await();
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
