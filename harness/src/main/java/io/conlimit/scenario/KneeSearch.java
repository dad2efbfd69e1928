package io.conlimit.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The search behind {@code conlimit find-limit}: exponential growth from a start value until a run fails,
 * then binary search between the largest passing and the smallest failing value, down to a resolution.
 * Pure state, no I/O: the caller runs each value {@link #next()} proposes (a fresh server each time) and
 * reports it with {@link #record}. Not thread-safe; one search per find-limit.
 */
public final class KneeSearch {
    private final long max;
    private final long resolution;
    private final double factor;
    private long largestPass = -1;
    private long smallestFail = -1;
    private long pending;
    private final List<Step> steps = new ArrayList<>();

    /** One run of the search: the value tried, whether it passed, and why (the failed expectations, counts). */
    public record Step(long value, boolean passed, String evidence) {
    }

    /**
     * @param start      the first value tried (e.g. a burst of 100)
     * @param max        never try above this (the client's own limit, e.g. its open files)
     * @param factor     growth while everything passes (> 1, e.g. 2)
     * @param resolution stop when the largest pass and the smallest fail are this close (>= 1)
     */
    public KneeSearch(long start, long max, double factor, long resolution) {
        if (start < 1 || max < start || !(factor > 1) || resolution < 1) {
            throw new IllegalArgumentException("need 1 <= start <= max, factor > 1, resolution >= 1");
        }
        this.max = max;
        this.factor = factor;
        this.resolution = resolution;
        this.pending = start;
    }

    /** The next value to run, or empty when the knee is found (or max passed). */
    public OptionalLong next() {
        if (pending < 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(pending);
    }

    /** Reports the run of {@link #next()}'s value. */
    public void record(long value, boolean passed, String evidence) {
        if (value != pending) {
            throw new IllegalStateException("expected the result for " + pending + ", got " + value);
        }
        steps.add(new Step(value, passed, evidence));
        if (passed) {
            largestPass = Math.max(largestPass, value);
        } else {
            smallestFail = smallestFail < 0 ? value : Math.min(smallestFail, value);
        }
        pending = choose();
    }

    private long choose() {
        if (smallestFail < 0) {
            if (largestPass >= max) {
                return -1; // everything up to max passed: the knee is beyond what this client can try
            }
            return Math.min(max, Math.max(largestPass + 1, (long) Math.ceil(largestPass * factor)));
        }
        long low = Math.max(largestPass, 0);
        if (smallestFail - low <= resolution) {
            return -1;
        }
        return low + (smallestFail - low) / 2;
    }

    /** The largest value that passed, or -1 when none did. */
    public long largestPassing() {
        return largestPass;
    }

    /** The smallest value that failed, or -1 when none did (then the knee is above {@code max}). */
    public long smallestFailing() {
        return smallestFail;
    }

    public boolean done() {
        return pending < 0;
    }

    /** Every run so far, in order: the evidence find-limit reports. */
    public List<Step> steps() {
        return List.copyOf(steps);
    }
}
