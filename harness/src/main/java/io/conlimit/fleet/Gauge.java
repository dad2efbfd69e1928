package io.conlimit.fleet;

/** A count the run thread can wait on reaching zero (connections not yet settled, connections held). */
final class Gauge {
    private long value;

    synchronized void increment() {
        value++;
    }

    synchronized void decrement() {
        if (--value == 0) {
            notifyAll();
        }
    }

    synchronized long value() {
        return value;
    }

    /** Waits until zero or the deadline (System.nanoTime()); returns whether it reached zero. */
    synchronized boolean awaitZero(long deadlineNanos) throws InterruptedException {
        while (value > 0) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
