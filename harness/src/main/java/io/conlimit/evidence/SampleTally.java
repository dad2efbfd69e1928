package io.conlimit.evidence;

import io.conlimit.kernel.ListenQueueSampler.Sample;

/**
 * What a run's summary needs of its listen-queue samples, kept as they arrive instead of the samples themselves: a
 * run samples every 100 ms for as long as it lasts, and the samples go to kernel-timeline.csv as they come, so
 * holding them all would grow the client's heap by about 0.7 KB per sample (docs/benchmarks.md, the soak).
 * Not thread-safe: its session adds under its own lock.
 */
public final class SampleTally {
    private final long overflowsBefore;
    private long count;
    private int queueMax = -1;
    private int backlogMax = -1;
    private int lastBacklog = -1;
    private long fullAt = -1;
    private long overflowAt = -1;

    /** @param overflowsBefore ListenOverflows read at the start: the first sample above it dates the first overflow */
    public SampleTally(long overflowsBefore) {
        this.overflowsBefore = overflowsBefore;
    }

    public void add(Sample s) {
        count++;
        queueMax = Math.max(queueMax, s.queued());
        backlogMax = Math.max(backlogMax, s.max());
        if (s.listenerFound()) {
            lastBacklog = s.max();
            if (fullAt < 0 && s.queued() > s.max()) {
                fullAt = s.nanos();
            }
        }
        if (overflowAt < 0 && s.counters().getOrDefault(KernelEvidenceSummary.OVERFLOWS, overflowsBefore) > overflowsBefore) {
            overflowAt = s.nanos();
        }
    }

    public long count() {
        return count;
    }

    /** The longest accept queue seen, -1 before any sample. */
    public int queueMax() {
        return queueMax;
    }

    /** The largest backlog seen, -1 when no sample found the listener. */
    public int backlogMax() {
        return backlogMax;
    }

    /** The backlog in the latest sample that found the listener, -1 when none did. */
    public int lastBacklog() {
        return lastBacklog;
    }

    /** Run-epoch nanos of the first sample whose queue was above its backlog, -1 when none was. */
    public long fullAt() {
        return fullAt;
    }

    /** Run-epoch nanos of the first sample whose ListenOverflows had grown since the start, -1 when none had. */
    public long overflowAt() {
        return overflowAt;
    }
}
