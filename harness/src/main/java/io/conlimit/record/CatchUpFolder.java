package io.conlimit.record;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merges the event loops' catch-up clusters ({@link CatchUpCluster}) as they arrive, once a second, and folds every
 * merged cluster that nothing can join any more into {@link CatchUpClusters}' counts, so that a run of hours keeps
 * only its last second or so of clusters (a loaded machine makes about a thousand a minute) instead of all of them.
 * <p>
 * Two clusters of one phase join when one's first call is within the gap (the late threshold) of the other's last.
 * A cluster a loop has not closed yet starts at its {@link ThreadRecorder#openClusterFirst}, and one it has not
 * opened starts at a call made after the reporter's tick, so a merged cluster whose last call lies more than the
 * gap before the earliest of those (the watermark) is complete. Only the reporter thread calls this.
 */
final class CatchUpFolder {
    /**
     * How far before its tick the reporter puts the watermark of a loop without an open cluster: a loop takes its
     * connect() call's time before it records the start, and a preemption in between must not let a cluster
     * of that call arrive after its neighbours were folded. Generous: such a delay is microseconds.
     */
    static final long RACE_MARGIN_NANOS = 1_000_000_000L;

    private final long gapNanos;
    private List<CatchUpCluster> pending = new ArrayList<>();
    private final CatchUpClusters.Builder folded = new CatchUpClusters.Builder();

    CatchUpFolder(long gapNanos) {
        this.gapNanos = gapNanos;
    }

    /**
     * Adds the clusters closed since the last call and folds what is complete before {@code watermarkNanos}
     * (run epoch): no cluster still to come starts before it.
     */
    void add(List<CatchUpCluster> fresh, long watermarkNanos) {
        pending.addAll(fresh);
        if (pending.isEmpty()) {
            return;
        }
        pending.sort(Comparator.comparingInt(CatchUpCluster::phase).thenComparingLong(CatchUpCluster::firstCallNanos));
        List<CatchUpCluster> keep = new ArrayList<>();
        CatchUpCluster cur = null;
        for (CatchUpCluster c : pending) {
            if (cur != null && cur.joins(c, gapNanos)) {
                cur = cur.merge(c);
            } else {
                settle(cur, watermarkNanos, keep);
                cur = c;
            }
        }
        settle(cur, watermarkNanos, keep);
        pending = keep;
    }

    private void settle(CatchUpCluster merged, long watermarkNanos, List<CatchUpCluster> keep) {
        if (merged == null) {
            return;
        }
        if (watermarkNanos - merged.lastCallNanos() > gapNanos) {
            folded.fold(merged);
        } else {
            keep.add(merged);
        }
    }

    /** Clusters merged but not folded yet (a test's view of the bound). */
    int pending() {
        return pending.size();
    }

    /** Every loop has stopped calling: folds the rest and returns the run's clusters. */
    CatchUpClusters finish() {
        add(List.of(), Long.MAX_VALUE);
        return folded.build();
    }
}
