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
        assertEquals(List.of(new CatchUpCluster(0, 0, 20 + gap, 5)), joined.clusters());
        CatchUpClusters split = CatchUpClusters.of(List.of(new CatchUpCluster(0, 11 + gap, 30 + gap, 3),
                new CatchUpCluster(0, 0, 10, 2)), gap);
        assertEquals(2, split.clusters().size());
        CatchUpClusters phases = CatchUpClusters.of(List.of(new CatchUpCluster(0, 0, 10, 2),
                new CatchUpCluster(1, 10, 20, 2)), gap);
        assertEquals(2, phases.clusters().size(), "two phases never share a cluster");
        assertEquals(0, CatchUpClusters.of(List.of(new CatchUpCluster(0, 0, 0, 1)), gap).clusters().size());
    }
}
