package io.conlimit.record;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catch-up clusters: late starts released together after a stall are found per thread, merged across threads (a
 * stall of every loop is one cluster) and reported per phase and for the run, with exact counts.
 */
class CatchUpClustersTest {
    private static final long MS = 1_000_000;

    @TempDir
    Path root;

    /** One thread's starts: on time, then {@code late} overdue ones released 2 us apart at {@code atNanos}. */
    private static void stall(RunRecording rec, int phase, long atNanos, int late) {
        for (int i = 0; i < late; i++) {
            long intended = atNanos - 5 * MS + i * 50_000L; // 5 ms behind and more: late
            rec.started(phase, intended, atNanos + i * 2_000L);
        }
    }

    private static void onTime(RunRecording rec, int phase, long fromNanos, int n) {
        for (int i = 0; i < n; i++) {
            long t = fromNanos + i * 50_000L;
            rec.started(phase, t, t + 20_000);
        }
    }

    private static void on(Runnable r) throws InterruptedException {
        Thread t = new Thread(r);
        t.start();
        t.join();
    }

    @Test
    void clustersAreFoundMergedAcrossThreadsAndReported() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunRecording rec = RunRecording.start(Synthetic.options(root, "catch-up", 1000, false, out, false),
                Duration.ofMillis(100));
        rec.phaseStarted(0, "rate a");
        rec.phaseStarted(1, "rate b");
        // loop A: on time, a stall of 30 at 100 ms, on time, 3 at 300 ms, one lone late start at 400 ms
        on(() -> {
            onTime(rec, 0, 50 * MS, 100);
            stall(rec, 0, 100 * MS, 30);
            onTime(rec, 0, 101 * MS, 100);
            stall(rec, 0, 300 * MS, 3);
            onTime(rec, 0, 301 * MS, 10);
            stall(rec, 0, 400 * MS, 1);
            onTime(rec, 0, 401 * MS, 10);
        });
        // loop B: the same stall at 100 ms (20 overdue, starting 0.5 ms later: one cluster with A's), then phase 1
        // with 4 late starts at 600 ms that end the run still open (closed by finish)
        on(() -> {
            onTime(rec, 0, 60 * MS, 10);
            stall(rec, 0, 100 * MS + 500_000, 20);
            onTime(rec, 0, 102 * MS, 10);
            stall(rec, 1, 600 * MS, 4);
        });
        JsonNode s = rec.finish(true, Map.of()).json();

        JsonNode c = s.get("catch_up");
        assertEquals(3, c.get("clusters").asLong(), c.toString());
        assertEquals(50, c.get("largest").asLong(), "30 on A and 20 on B at the same stall: " + c);
        assertEquals(0.1, c.get("largest_at_s").asDouble());
        assertEquals(0.538, c.get("largest_span_ms").asDouble(), "from A's first call to B's last: 0.5 ms + 19 x 2 us");
        assertEquals(0, c.get("largest_phase").asInt());
        assertEquals(30 + 20 + 3 + 1 + 4, s.get("late_starts").asLong());

        JsonNode p0 = s.get("phases").get(0);
        assertEquals(54, p0.get("late_starts").asLong());
        assertEquals(2, p0.get("catch_up").get("clusters").asLong(), "the lone late start is no cluster");
        assertEquals(50, p0.get("catch_up").get("largest").asLong());
        JsonNode p1 = s.get("phases").get(1);
        assertEquals(4, p1.get("late_starts").asLong());
        assertEquals(1, p1.get("catch_up").get("clusters").asLong());
        assertEquals(4, p1.get("catch_up").get("largest").asLong());
        assertEquals(0.6, p1.get("catch_up").get("largest_at_s").asDouble());
        assertEquals(0.006, p1.get("catch_up").get("largest_span_ms").asDouble());
        assertTrue(!p1.get("catch_up").has("largest_phase"), "the phase is the phase's own");

        String console = out.toString(StandardCharsets.UTF_8);
        assertTrue(console.contains("catch-up clusters                   3 (largest: 50 late starts at 0.100 s within 0.538 ms, phase 0)"),
                console);
        assertTrue(console.contains("catch-up clusters 2 (largest 50)"), console);
    }

    @Test
    void noLateStartsNoClusters() throws Exception {
        RunRecording rec = RunRecording.start(Synthetic.options(root, "on time", 1000, false,
                new ByteArrayOutputStream(), false), Duration.ofMillis(100));
        rec.phaseStarted(0, "rate");
        on(() -> onTime(rec, 0, 0, 100));
        JsonNode s = rec.finish(true, Map.of()).json();
        assertEquals("{\"clusters\":0,\"largest\":0,\"largest_at_s\":null,\"largest_span_ms\":null,\"largest_phase\":null}",
                s.get("catch_up").toString());
        assertEquals(0, s.get("phases").get(0).get("catch_up").get("clusters").asLong());
    }

    /** The gap rule at its edge: calls exactly the threshold apart join, a nanosecond more splits. */
    @Test
    void mergeJoinsWithinTheThresholdOnly() {
        long gap = MS;
        CatchUpClusters joined = CatchUpClusters.of(List.of(new CatchUpCluster(0, 0, 10, 2),
                new CatchUpCluster(0, 10 + gap, 20 + gap, 3)), gap);
        assertEquals("{\"clusters\":1,\"largest\":5,\"largest_at_s\":0.0,\"largest_span_ms\":1.0,\"largest_phase\":0}",
                joined.toJson(-1).toString());
        CatchUpClusters split = CatchUpClusters.of(List.of(new CatchUpCluster(0, 11 + gap, 30 + gap, 3),
                new CatchUpCluster(0, 0, 10, 2)), gap);
        assertEquals(2, split.count(-1));
        assertEquals(3, split.toJson(0).get("largest").asLong());
        CatchUpClusters phases = CatchUpClusters.of(List.of(new CatchUpCluster(0, 0, 10, 2),
                new CatchUpCluster(1, 10, 20, 2)), gap);
        assertEquals(2, phases.count(-1), "two phases never share a cluster");
        assertEquals(1, phases.count(1));
        assertEquals(0, phases.toJson(-1).get("largest_phase").asInt(), "of equals, the lowest phase");
        assertEquals(0, CatchUpClusters.of(List.of(new CatchUpCluster(0, 0, 0, 1)), gap).count(-1));
    }

    /**
     * Folded as they arrive, tick by tick, the clusters of a long run give what one merge at the end gives, while
     * the folder keeps only those near the watermark: the same stalls seen by two loops, one of them closing its
     * clusters a tick late, and an open cluster holding the watermark back.
     */
    @Test
    void foldingTickByTickEqualsOneMergeAndStaysBounded() {
        long gap = MS;
        long tick = 1_000 * MS;
        java.util.Random random = new java.util.Random(42);
        List<CatchUpCluster> all = new java.util.ArrayList<>();
        CatchUpFolder folder = new CatchUpFolder(gap);
        List<CatchUpCluster> lateLoop = new java.util.ArrayList<>();
        int maxPending = 0;
        for (int t = 1; t <= 2_000; t++) {
            List<CatchUpCluster> fresh = new java.util.ArrayList<>(lateLoop);
            lateLoop.clear();
            for (int i = 0; i < 20; i++) { // 20 stalls a second, each seen by both loops, sizes 1 to 3
                long at = (t - 1) * tick + random.nextInt((int) (tick - 10 * MS));
                CatchUpCluster a = new CatchUpCluster(0, at, at + random.nextInt((int) MS), 1 + random.nextInt(3));
                CatchUpCluster b = new CatchUpCluster(0, a.lastCallNanos() + random.nextInt((int) (2 * MS)),
                        a.lastCallNanos() + 2 * MS, 1 + random.nextInt(3));
                fresh.add(a);
                lateLoop.add(b); // the second loop closes its cluster in the next tick
                all.add(a);
                all.add(b);
            }
            // the second loop's open cluster: its earliest first call holds the watermark
            long open = lateLoop.stream().mapToLong(CatchUpCluster::firstCallNanos).min().orElse(Long.MAX_VALUE);
            folder.add(fresh, Math.min(t * tick - CatchUpFolder.RACE_MARGIN_NANOS, open));
            maxPending = Math.max(maxPending, folder.pending());
        }
        folder.add(lateLoop, Long.MAX_VALUE);
        CatchUpClusters folded = folder.finish();
        CatchUpClusters once = CatchUpClusters.of(all, gap);
        assertEquals(once.toJson(-1), folded.toJson(-1));
        assertTrue(once.count(-1) > 20_000, "most stalls make a cluster: " + once.count(-1));
        assertTrue(maxPending <= 100, "pending clusters bounded by about two ticks' worth: " + maxPending);
    }
}
