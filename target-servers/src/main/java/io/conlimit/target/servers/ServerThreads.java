package io.conlimit.target.servers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of one server, named {@code conlimit-<kind>-<role>-N}, so close() can interrupt and join
 * every one of them. A thread that ends on its own removes itself.
 */
final class ServerThreads {
    private final String prefix;
    private final Set<Thread> live = ConcurrentHashMap.newKeySet();
    private final AtomicInteger seq = new AtomicInteger();
    private final Object lock = new Object();
    private boolean stopping;

    ServerThreads(String kind) {
        this.prefix = "conlimit-" + kind + "-";
    }

    /** Starts {@code body} on a new thread {@code conlimit-<kind>-<role>-N}; refused once stopping. */
    Thread start(String role, Runnable body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } finally {
                live.remove(Thread.currentThread());
            }
        }, prefix + role + "-" + seq.incrementAndGet());
        t.setDaemon(true);
        synchronized (lock) {
            if (stopping) {
                throw new IllegalStateException("server is stopping");
            }
            live.add(t);
            t.start();
        }
        return t;
    }

    /** Interrupts every thread and waits for all to end (up to {@code timeoutMillis} in total). */
    void stopAndJoin(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        List<Thread> all;
        synchronized (lock) {
            stopping = true;
            all = new ArrayList<>(live);
        }
        all.forEach(Thread::interrupt);
        boolean interrupted = false;
        for (Thread t : all) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0 || t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(left);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Threads still alive (for close() to report a failure to stop). */
    List<Thread> alive() {
        List<Thread> out = new ArrayList<>();
        for (Thread t : live) {
            if (t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }
}
