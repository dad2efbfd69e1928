package io.conlimit.record;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's catch-up clusters ({@link CatchUpCluster}) as summary.json reports them ({@code catch_up}, docs/results.md):
 * per phase, how many and the largest. Every event loop finds its own clusters while it records (no shared state on
 * the hot path); a stall that held up every loop at once (a GC pause) leaves one cluster per loop at the same
 * instant, so they are merged across loops by the same rule, calls less than the late threshold apart
 * ({@link CatchUpFolder}, as they arrive), and counted here once complete.
 */
final class CatchUpClusters {
    /** A cluster has at least this many late starts: one late connect alone is no burst. */
    static final int MIN_SIZE = 2;

    /** Per phase: how many clusters, and the largest (the earliest of equals). */
    private record PhaseClusters(long count, CatchUpCluster largest) {
    }

    private final Map<Integer, PhaseClusters> phases;

    private CatchUpClusters(Map<Integer, PhaseClusters> phases) {
        this.phases = phases;
    }

    /** Merges the per-loop clusters (any order) whose calls lie within {@code gapNanos} of each other; drops those below {@link #MIN_SIZE}. */
    static CatchUpClusters of(List<CatchUpCluster> perLoop, long gapNanos) {
        CatchUpFolder f = new CatchUpFolder(gapNanos);
        f.add(perLoop, Long.MAX_VALUE);
        return f.finish();
    }

    /** Clusters of phase {@code phase}, or of every phase when it is -1. */
    long count(int phase) {
        long n = 0;
        for (Map.Entry<Integer, PhaseClusters> e : phases.entrySet()) {
            if (phase < 0 || e.getKey() == phase) {
                n += e.getValue().count();
            }
        }
        return n;
    }

    /**
     * {@code {clusters, largest, largest_at_s, largest_span_ms, largest_phase}} over phase {@code phase}, or over every
     * phase when it is -1 ({@code largest_phase} only then). The largest is the one with the most late starts (of
     * equals, the one of the lowest phase, then the earliest); its time is its first call, seconds from the run's start.
     */
    ObjectNode toJson(int phase) {
        CatchUpCluster largest = null;
        for (Map.Entry<Integer, PhaseClusters> e : phases.entrySet()) {
            if ((phase < 0 || e.getKey() == phase) && larger(e.getValue().largest(), largest)) {
                largest = e.getValue().largest();
            }
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("clusters", count(phase));
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

    /** Whether {@code c} beats {@code than}: more late starts, or as many and earlier (phases are visited in order). */
    private static boolean larger(CatchUpCluster c, CatchUpCluster than) {
        return than == null || c.connections() > than.connections()
                || c.connections() == than.connections() && c.phase() == than.phase() && c.firstCallNanos() < than.firstCallNanos();
    }

    /** Counts complete merged clusters, in any order. */
    static final class Builder {
        private final Map<Integer, PhaseClusters> phases = new TreeMap<>();

        void fold(CatchUpCluster merged) {
            if (merged.connections() < MIN_SIZE) {
                return;
            }
            phases.merge(merged.phase(), new PhaseClusters(1, merged), (a, b) ->
                    new PhaseClusters(a.count() + 1, larger(b.largest(), a.largest()) ? b.largest() : a.largest()));
        }

        CatchUpClusters build() {
            return new CatchUpClusters(java.util.Collections.unmodifiableMap(new TreeMap<>(phases)));
        }
    }
}
