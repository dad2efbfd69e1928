package io.conlimit.fleet;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A count the run thread can wait on reaching zero (connections not yet settled, connections held). Lock-free on
 * the connections' side (one atomic add): only a decrement that reaches zero while someone waits takes the lock, to
 * wake the waiter. The waiter announces itself ({@code waiters}, volatile) before reading the count and the
 * decrementer reads {@code waiters} after writing it, so one of them always sees the other: no wake-up is lost.
 */
final class Gauge {
    private final AtomicLong value = new AtomicLong();
    private volatile int waiters;

    void increment() {
        value.incrementAndGet();
    }

    void decrement() {
        if (value.decrementAndGet() == 0 && waiters > 0) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    long value() {
        return value.get();
    }

    /** Waits until zero or the deadline (System.nanoTime()); returns whether it reached zero. */
    synchronized boolean awaitZero(long deadlineNanos) throws InterruptedException {
        waiters++;
        try {
            while (value.get() > 0) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return true;
        } finally {
            waiters--;
        }
    }
}
