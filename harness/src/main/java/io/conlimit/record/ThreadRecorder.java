package io.conlimit.record;

import io.conlimit.fleet.ConnectionRecord;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * One writer thread's recorder: the same double-buffer scheme as HdrHistogram's SingleWriterRecorder, but
 * over a whole {@link Interval} (histograms and counters together), so that every record lands entirely in
 * one reporting interval and each timeline row agrees with the hlog interval written with it.
 * Writer methods are wait-free for the single owning thread and allocate nothing.
 */
final class ThreadRecorder {
    private final WriterReaderPhaser phaser = new WriterReaderPhaser();
    private volatile Interval active = new Interval();
    private Interval inactive = new Interval();

    void started(int phase, long intendedNanos, long connectCallNanos, long lateThresholdNanos) {
        long e = phaser.writerCriticalSectionEnter();
        try {
            active.recordStarted(phase, intendedNanos, connectCallNanos, lateThresholdNanos);
        } finally {
            phaser.writerCriticalSectionExit(e);
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
