package io.conlimit.record;

import io.conlimit.fleet.ConnectionRecord;
import io.conlimit.fleet.Outcome;
import org.HdrHistogram.IntCountsHistogram;

/**
 * What one load phase's connections did (summary.json's {@code phases[i]}): its starts, outcomes, connections
 * admitted at once, SYN retransmits and connect latency from the intended start. Lighter than an {@link Interval}
 * (one histogram, at 1 us resolution) because every writer thread keeps one per phase in each of its two buffers.
 * Not thread-safe: owned like the {@link Interval} that holds it.
 */
final class PhaseTally {
    /** Connect latency from the intended start, ns, 1 us resolution, 3 significant digits (int counts: half the memory). */
    final IntCountsHistogram connect = new IntCountsHistogram(1_000, Interval.HIGHEST_NANOS, 3);
    final long[] outcomes = new long[Outcome.values().length];
    long started;
    long lateStarts;
    long decided;
    long admittedAtOnce;
    long connectedSynUnknown;
    long synTotal;
    long synWithRetransmits;
    long synUnknown;

    void recordStarted(boolean late) {
        started++;
        if (late) {
            lateStarts++;
        }
    }

    void recordDecided(ConnectionRecord r) {
        decided++;
        outcomes[r.outcome().ordinal()]++;
        int syn = r.synRetransmits();
        if (r.connectedNanos() >= 0) {
            connect.recordValue(Math.max(1_000, Math.min(r.connectFromIntendedNanos(), Interval.HIGHEST_NANOS)));
            if (syn == 0) {
                admittedAtOnce++;
            } else if (syn < 0) {
                connectedSynUnknown++;
            }
        }
        if (syn < 0) {
            synUnknown++;
        } else {
            synTotal += syn;
            if (syn > 0) {
                synWithRetransmits++;
            }
        }
    }

    void add(PhaseTally o) {
        connect.add(o.connect);
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] += o.outcomes[i];
        }
        started += o.started;
        lateStarts += o.lateStarts;
        decided += o.decided;
        admittedAtOnce += o.admittedAtOnce;
        connectedSynUnknown += o.connectedSynUnknown;
        synTotal += o.synTotal;
        synWithRetransmits += o.synWithRetransmits;
        synUnknown += o.synUnknown;
    }

    void reset() {
        connect.reset();
        java.util.Arrays.fill(outcomes, 0);
        started = 0;
        lateStarts = 0;
        decided = 0;
        admittedAtOnce = 0;
        connectedSynUnknown = 0;
        synTotal = 0;
        synWithRetransmits = 0;
        synUnknown = 0;
    }

    long outcome(Outcome o) {
        return outcomes[o.ordinal()];
    }
}
