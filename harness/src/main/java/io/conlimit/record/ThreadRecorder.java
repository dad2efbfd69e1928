package io.conlimit.record;

import io.conlimit.fleet.ConnectionRecord;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * One writer thread's recorder: the same double-buffer scheme as HdrHistogram's SingleWriterRecorder, but
 * over a whole {@link Interval} (histograms and counters together), so that every record lands entirely in
 * one reporting interval and each timeline row agrees with the hlog interval written with it.
 * Writer methods are wait-free for the single owning thread and allocate nothing (but a closed catch-up cluster).
 * <p>
 * It also finds this thread's catch-up clusters ({@link CatchUpCluster}): an event loop calls connect() in time
 * order, so consecutive late starts less than the threshold apart extend the open cluster; an on-time start, a gap
 * or another phase closes it into the interval.
 */
final class ThreadRecorder {
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Interval active = new Interval();
    private Interval inactive = new Interval();
    /** The open cluster (writer thread, or the reader once the writers stopped: {@link #closeCluster}). */
    private int clusterPhase = -1;
    private long clusterFirst;
    private long clusterLast;
    private long clusterSize;
    /**
     * The open cluster's first call, Long.MAX_VALUE when none: written by the writer when a cluster opens or closes
     * (not per connection), read by the reporter before it flips the buffers ({@link CatchUpFolder}'s watermark).
     */
    private volatile long openClusterFirst = Long.MAX_VALUE;

    /**
     * @param lateThresholdNanos a start later than this is late (Long.MAX_VALUE: never, a burst); it is also the gap
     *                           that separates two catch-up clusters
     */
    void started(int phase, long intendedNanos, long connectCallNanos, long lateThresholdNanos) {
        long e = phaser.writerCriticalSectionEnter();
        try {
            boolean late = active.recordStarted(phase, intendedNanos, connectCallNanos, lateThresholdNanos);
            if (!late) {
                closeClusterInto(active);
            } else if (clusterSize > 0 && clusterPhase == phase && connectCallNanos - clusterLast <= lateThresholdNanos) {
                clusterLast = Math.max(clusterLast, connectCallNanos);
                clusterSize++;
            } else {
                closeClusterInto(active);
                clusterPhase = phase;
                clusterFirst = connectCallNanos;
                clusterLast = connectCallNanos;
                clusterSize = 1;
                openClusterFirst = connectCallNanos;
            }
        } finally {
            phaser.writerCriticalSectionExit(e);
        }
    }

    /** Closes the open catch-up cluster into the current interval: at the end, once the writer stopped. */
    void closeCluster() {
        long e = phaser.writerCriticalSectionEnter();
        try {
            closeClusterInto(active);
        } finally {
            phaser.writerCriticalSectionExit(e);
        }
    }

    private void closeClusterInto(Interval into) {
        if (clusterSize > 0) {
            into.recordCluster(new CatchUpCluster(clusterPhase, clusterFirst, clusterLast, clusterSize));
            clusterSize = 0;
            openClusterFirst = Long.MAX_VALUE;
        }
    }

    void decided(ConnectionRecord record) {
        long e = phaser.writerCriticalSectionEnter();
        try {
            active.recordDecided(record);
        } finally {
            phaser.writerCriticalSectionExit(e);
        }
    }

    void closed() {
        long e = phaser.writerCriticalSectionEnter();
        try {
            active.recordClosed();
        } finally {
            phaser.writerCriticalSectionExit(e);
        }
    }

    /** The first call of this thread's open catch-up cluster (run epoch), Long.MAX_VALUE when none is open. */
    long openClusterFirst() {
        return openClusterFirst;
    }

    /** Reader side: swaps the buffers and adds what this thread recorded since the last call into {@code into}. */
    void drainInto(Interval into) {
        phaser.readerLock();
        try {
            inactive.reset();
            Interval done = active;
            active = inactive;
            inactive = done;
            phaser.flipPhase();
            into.add(done);
        } finally {
            phaser.readerUnlock();
        }
    }
}
