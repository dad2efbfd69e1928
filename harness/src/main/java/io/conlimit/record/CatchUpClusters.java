package io.conlimit.record;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The run's catch-up clusters ({@link CatchUpCluster}) as summary.json reports them ({@code catch_up}, docs/results.md).
 * Every event loop finds its own clusters while it records (no shared state on the hot path); a stall that
 * held up every loop at once (a GC pause) leaves one cluster per loop at the same instant, so they are merged here,
 * across loops, by the same rule: calls less than the late threshold apart.
 */
final class CatchUpClusters {
    /** A cluster has at least this many late starts: one late connect alone is no burst. */
    static final int MIN_SIZE = 2;

    private final List<CatchUpCluster> merged;

    private CatchUpClusters(List<CatchUpCluster> merged) {
        this.merged = merged;
    }

    /** Merges the per-loop clusters (any order) whose calls lie within {@code gapNanos} of each other; drops those below {@link #MIN_SIZE}. */
    static CatchUpClusters of(List<CatchUpCluster> perLoop, long gapNanos) {
        List<CatchUpCluster> sorted = new ArrayList<>(perLoop);
        sorted.sort(Comparator.comparingInt(CatchUpCluster::phase).thenComparingLong(CatchUpCluster::firstCallNanos));
        List<CatchUpCluster> out = new ArrayList<>();
        CatchUpCluster cur = null;
        for (CatchUpCluster c : sorted) {
            if (cur != null && cur.joins(c, gapNanos)) {
                cur = cur.merge(c);
            } else {
                if (cur != null && cur.connections() >= MIN_SIZE) {
                    out.add(cur);
                }
                cur = c;
            }
        }
        if (cur != null && cur.connections() >= MIN_SIZE) {
            out.add(cur);
        }
        return new CatchUpClusters(List.copyOf(out));
    }

    List<CatchUpCluster> clusters() {
        return merged;
    }

    /**
     * {@code {clusters, largest, largest_at_s, largest_span_ms, largest_phase}} over phase {@code phase}, or over every
     * phase when it is -1 ({@code largest_phase} only then). The largest is the one with the most late starts (the
     * earliest of equals); its time is its first call, seconds from the run's start.
     */
    ObjectNode toJson(int phase) {
        CatchUpCluster largest = null;
        long count = 0;
        for (CatchUpCluster c : merged) {
            if (phase >= 0 && c.phase() != phase) {
                continue;
            }
            count++;
            if (largest == null || c.connections() > largest.connections()) {
                largest = c;
            }
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("clusters", count);
        n.put("largest", largest == null ? 0 : largest.connections());
        if (largest == null) {
            n.putNull("largest_at_s");
            n.putNull("largest_span_ms");
        } else {
            n.put("largest_at_s", JsonNumbers.round3(largest.firstCallNanos() / 1e9));
            n.put("largest_span_ms", JsonNumbers.round3((largest.lastCallNanos() - largest.firstCallNanos()) / 1e6));
        }
        if (phase < 0) {
            if (largest == null) {
                n.putNull("largest_phase");
            } else {
                n.put("largest_phase", largest.phase());
            }
        }
        return n;
    }
}
