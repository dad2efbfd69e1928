package io.conlimit.run;

import io.conlimit.kernel.ListenQueueSampler.Sample;

import java.util.ArrayList;
import java.util.List;

/**
 * Kernel-evidence samples polled but not yet in kernel-timeline.csv: only after a failed write (a full disk), they go
 * with the next write. Bounded: while writes keep failing, at most {@link #MAX} wait (an hour at the default 10 Hz),
 * the oldest are dropped first and counted, so a long run on a full disk does not grow the client's memory. Not
 * thread-safe: its owner's lock guards it.
 */
final class UnwrittenSamples {
    static final int MAX = 36_000;

    private final int max;
    private final List<Sample> waiting = new ArrayList<>();
    private long dropped;

    UnwrittenSamples() {
        this(MAX);
    }

    UnwrittenSamples(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be at least 1, got " + max);
        }
        this.max = max;
    }

    /** Adds {@code fresh} after the samples still waiting; drops the oldest beyond the bound. */
    void add(List<Sample> fresh) {
        waiting.addAll(fresh);
        int over = waiting.size() - max;
        if (over > 0) {
            waiting.subList(0, over).clear();
            dropped += over;
        }
    }

    /** The samples waiting, oldest first (a view: {@link #written} clears them). */
    List<Sample> waiting() {
        return waiting;
    }

    /** The waiting samples are in the file now. */
    void written() {
        waiting.clear();
    }

    /** Samples dropped because writes kept failing: never in kernel-timeline.csv. */
    long dropped() {
        return dropped;
    }
}
