package io.conlimit.record;

import io.conlimit.fleet.ConnectionRecord;
import io.conlimit.fleet.Outcome;
import org.HdrHistogram.Histogram;

/**
 * What was recorded over some span: one writer thread's current interval, the merged interval of all
 * threads, or the whole run. Not thread-safe: a {@link ThreadRecorder} guards the per-thread ones with a
 * WriterReaderPhaser, the reader owns the merged ones.
 */
final class Interval {
    /** Latencies above this (24 h in ns) are recorded as this. */
    static final long HIGHEST_NANOS = 24L * 3600 * 1_000_000_000L;
    static final long HIGHEST_RETRANSMITS = 10_000;

    /** Connect latency from the intended start, ns. */
    final Histogram connect = new Histogram(1, HIGHEST_NANOS, 3);
    /** Connect latency from the connect() call, ns. */
    final Histogram connectService = new Histogram(1, HIGHEST_NANOS, 3);
    /** Time to first byte from the connect completion, ns. */
    final Histogram ttfb = new Histogram(1, HIGHEST_NANOS, 3);
    /** SYN retransmits per connection whose count is known. */
    final Histogram synRetransmits = new Histogram(1, HIGHEST_RETRANSMITS, 3);

    long started;
    long lateStarts;
    final long[] outcomes = new long[Outcome.values().length];
    long decided;
    long closed;
    long synTotal;
    long synWithRetransmits;
    long synUnknown;
    /** Connected without retransmitting a SYN (TCP_INFO says 0): admitted by the first SYN. */
    long admittedAtOnce;
    /** Connected, but the SYN retransmits are unknown (NIO): admitted_at_once cannot be told. */
    long connectedSynUnknown;
    /** Per load phase, by index; grown when a phase is first seen (once per phase and buffer, not per connection). */
    private PhaseTally[] phases = new PhaseTally[0];

    /**
     * Late starts' runs (one per thread and stall, closed by the thread's {@link ThreadRecorder}); the reporter takes
     * them out of each second's interval and merges them across threads ({@link CatchUpFolder}).
     */
    private final java.util.ArrayList<CatchUpCluster> clusters = new java.util.ArrayList<>();

    /** Counts a start; returns whether it was late (more than the threshold behind its intended start). */
    boolean recordStarted(int phase, long intendedNanos, long connectCallNanos, long lateThresholdNanos) {
        boolean late = connectCallNanos - intendedNanos > lateThresholdNanos;
        phase(phase).recordStarted(late);
        started++;
        if (late) {
            lateStarts++;
        }
        return late;
    }

    void recordCluster(CatchUpCluster c) {
        clusters.add(c);
    }

    /** The clusters recorded into this interval, handed over and cleared (the reporter folds them, the total keeps none). */
    java.util.List<CatchUpCluster> takeClusters() {
        java.util.List<CatchUpCluster> out = java.util.List.copyOf(clusters);
        clusters.clear();
        return out;
    }

    void recordDecided(ConnectionRecord r) {
        phase(r.phase()).recordDecided(r);
        decided++;
        outcomes[r.outcome().ordinal()]++;
        long c = r.connectFromIntendedNanos();
        if (r.connectedNanos() >= 0) {
            connect.recordValue(clamp(c, HIGHEST_NANOS));
            connectService.recordValue(clamp(r.connectFromCallNanos(), HIGHEST_NANOS));
        }
        long t = r.ttfbNanos();
        if (t >= 0) {
            ttfb.recordValue(clamp(t, HIGHEST_NANOS));
        }
        int syn = r.synRetransmits();
        if (r.connectedNanos() >= 0) {
            if (syn == 0) {
                admittedAtOnce++;
            } else if (syn < 0) {
                connectedSynUnknown++;
            }
        }
        if (syn < 0) {
            synUnknown++;
        } else {
            synRetransmits.recordValue(clamp(syn, HIGHEST_RETRANSMITS));
            synTotal += syn;
            if (syn > 0) {
                synWithRetransmits++;
            }
        }
    }

    void recordClosed() {
        closed++;
    }

    /** Adds {@code other} into this one. */
    void add(Interval other) {
        connect.add(other.connect);
        connectService.add(other.connectService);
        ttfb.add(other.ttfb);
        synRetransmits.add(other.synRetransmits);
        started += other.started;
        lateStarts += other.lateStarts;
        clusters.addAll(other.clusters);
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] += other.outcomes[i];
        }
        decided += other.decided;
        closed += other.closed;
        synTotal += other.synTotal;
        synWithRetransmits += other.synWithRetransmits;
        synUnknown += other.synUnknown;
        admittedAtOnce += other.admittedAtOnce;
        connectedSynUnknown += other.connectedSynUnknown;
        for (int i = 0; i < other.phases.length; i++) {
            if (other.phases[i] != null) {
                phase(i).add(other.phases[i]);
            }
        }
    }

    void reset() {
        connect.reset();
        connectService.reset();
        ttfb.reset();
        synRetransmits.reset();
        started = 0;
        lateStarts = 0;
        clusters.clear();
        java.util.Arrays.fill(outcomes, 0);
        decided = 0;
        closed = 0;
        synTotal = 0;
        synWithRetransmits = 0;
        synUnknown = 0;
        admittedAtOnce = 0;
        connectedSynUnknown = 0;
        for (PhaseTally t : phases) {
            if (t != null) {
                t.reset();
            }
        }
    }

    /** Phase {@code index}'s tally (created on first use). */
    PhaseTally phase(int index) {
        if (index >= phases.length) {
            phases = java.util.Arrays.copyOf(phases, index + 1);
        }
        PhaseTally t = phases[index];
        if (t == null) {
            t = new PhaseTally();
            phases[index] = t;
        }
        return t;
    }

    /** Phase {@code index}'s tally, or null when that phase recorded nothing. */
    PhaseTally phaseOrNull(int index) {
        return index < phases.length ? phases[index] : null;
    }

    long outcome(Outcome o) {
        return outcomes[o.ordinal()];
    }

    private static long clamp(long v, long highest) {
        return v < 0 ? 0 : Math.min(v, highest);
    }
}
