package io.conlimit.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.fleet.Outcome;
import io.conlimit.results.ResultsFolder;
import io.conlimit.results.ResultsLayout;
import io.conlimit.results.TimelineRow;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 4 threads × 5,000 synthetic records with known latencies and outcomes, fed concurrently while the
 * reporter runs every 100 ms; then every file of the folder is checked against the known totals.
 */
class RunRecordingTest {
    private static final int THREADS = 4;
    private static final int PER_THREAD = 5_000;
    /** Uneven batches, one reporting interval apart; they add up to PER_THREAD. */
    private static final int[] BATCH_SIZES = {1000, 1237, 763, 1501, 499};
    private static final int BATCHES = BATCH_SIZES.length;
    private static final long N = (long) THREADS * PER_THREAD;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    static Path root;
    private static Synthetic.Expected expected;
    private static RunSummary summary;
    private static ResultsFolder folder;
    private static String console;

    @BeforeAll
    static void recordConcurrently() throws Exception {
        expected = new Synthetic.Expected(N);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunRecording rec = RunRecording.start(Synthetic.options(root, "four threads", 1_000_000, false, out, false),
                Duration.ofMillis(100));
        rec.phaseStarted(0, "synthetic burst");
        rec.phaseStarted(1, "synthetic rate");
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    int i = 0;
                    for (int b = 0; b < BATCHES; b++) {
                        for (int end = i + BATCH_SIZES[b]; i < end; i++) {
                            // ids interleaved over threads so each thread sees every outcome
                            Synthetic.feed(rec, (long) i * THREADS + thread);
                        }
                        if (b < BATCHES - 1) { // the last batch is left to finish()'s final interval
                            long seen = rec.ticks();
                            waitUntil(() -> rec.ticks() > seen ? 1 : 0, "the reporter's next interval");
                        }
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "synthetic-writer-" + t);
            threads.add(th);
            th.start();
        }
        go.countDown();
        for (Thread th : threads) {
            th.join(60_000);
        }
        if (failure.get() != null) {
            throw new AssertionError("a writer thread failed", failure.get());
        }
        summary = rec.finish(true, Map.of("launch_spread_ms", 12.5, "held_max", 11));
        rec.close(); // after finish: no effect
        folder = ResultsFolder.load(rec.folder());
        console = out.toString(StandardCharsets.UTF_8);
    }

    private static void waitUntil(LongSupplier condition, String what) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (condition.getAsLong() == 0) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** summary.json's phases: each phase's own counts, exact, from the records' phase (ids alternate 0, 1). */
    @Test
    void perPhaseCountsAreExact() {
        JsonNode phases = summary.json().get("phases");
        assertEquals(2, phases.size());
        for (int p = 0; p < 2; p++) {
            JsonNode ph = phases.get(p);
            assertEquals(p, ph.get("index").asInt());
            assertEquals(p == 0 ? "synthetic burst" : "synthetic rate", ph.get("description").asText());
            Map<Outcome, Long> want = new java.util.EnumMap<>(Outcome.class);
            long connected = 0;
            long atOnce = 0;
            for (long id = p; id < N; id += 2) {
                io.conlimit.fleet.ConnectionRecord r = Synthetic.record(id);
                want.merge(r.outcome(), 1L, Long::sum);
                if (r.connectedNanos() >= 0) {
                    connected++;
                    atOnce += r.synRetransmits() == 0 ? 1 : 0;
                }
            }
            assertEquals(N / 2, ph.get("connections").asLong());
            for (Outcome o : Outcome.values()) {
                assertEquals(want.getOrDefault(o, 0L), ph.get("outcomes").get(o.key()).asLong(), "phase " + p + " " + o.key());
            }
            assertEquals(connected, ph.get("connect_ms").get("count").asLong());
            assertEquals(atOnce, ph.get("admitted_at_once").asLong());
        }
        long sumOk = phases.get(0).get("outcomes").get("ok").asLong() + phases.get(1).get("outcomes").get("ok").asLong();
        assertEquals(summary.json().get("outcomes").get("ok").asLong(), sumOk);
        assertTrue(console.contains("per phase"), console);
    }

    @Test
    void outcomeCountsAreExact() {
        JsonNode s = summary.json();
        assertTrue(s.get("complete").asBoolean());
        assertEquals(N, s.get("connections").asLong());
        for (Outcome o : Outcome.values()) {
            assertEquals(expected.outcomes.get(o), s.get("outcomes").get(o.key()).asLong(), o.key());
        }
        assertEquals(Outcome.values().length, s.get("outcomes").size());
        assertEquals(N, s.get("decided").asLong());
        assertEquals(0, s.get("in_flight_at_end").asLong());
        assertEquals(0, s.get("open_at_end").asLong());
        assertEquals(expected.late, s.get("late_starts").asLong());
        assertTrue(expected.late > 0);
    }

    @Test
    void percentilesWithinHistogramPrecision() {
        JsonNode s = summary.json();
        checkLatency(s.get("connect_ms"), expected.connect);
        checkLatency(s.get("connect_service_ms"), expected.service);
        checkLatency(s.get("ttfb_ms"), expected.ttfb);
    }

    private static void checkLatency(JsonNode n, List<Long> values) {
        assertEquals(values.size(), n.get("count").asLong());
        String[] keys = {"p50", "p90", "p99", "p999", "max"};
        double[] pcts = {50, 90, 99, 99.9, 100};
        for (int i = 0; i < keys.length; i++) {
            double exact = Synthetic.Expected.percentileMs(values, pcts[i]);
            double got = n.get(keys[i]).asDouble();
            // 3 significant digits (0.1 % relative) plus the 0.0005 ms rounding to 3 decimals
            assertEquals(exact, got, exact * 0.001 + 0.0006, keys[i]);
        }
        double mean = values.stream().mapToLong(Long::longValue).average().orElseThrow() / 1e6;
        assertEquals(mean, n.get("mean").asDouble(), mean * 0.001 + 0.0006, "mean");
    }

    @Test
    void synRetransmitsExact() {
        JsonNode syn = summary.json().get("syn_retransmits");
        assertEquals(expected.synTotal, syn.get("total").asLong());
        assertEquals(expected.synWith, syn.get("connections_with_retransmits").asLong());
        assertEquals(expected.synMax, syn.get("max").asLong());
        assertEquals(expected.synUnknown, syn.get("unknown").asLong());
    }

    @Test
    void extrasMergedAtTopLevel() {
        assertEquals(12.5, summary.json().get("launch_spread_ms").asDouble());
        assertEquals(11, summary.json().get("held_max").asInt());
        assertTrue(summary.json().get("duration_s").asDouble() > 0);
    }

    @Test
    void timelineSumsEqualTotals() {
        List<TimelineRow> rows = folder.timeline();
        assertTrue(rows.size() >= BATCHES, "one row per interval, at least " + BATCHES + ": " + rows.size());
        assertEquals(N, rows.stream().mapToLong(TimelineRow::started).sum());
        assertEquals(expected.late, rows.stream().mapToLong(TimelineRow::lateStarts).sum());
        for (Outcome o : Outcome.values()) {
            assertEquals(expected.outcomes.get(o), rows.stream().mapToLong(r -> r.outcome(o)).sum(), o.key());
        }
        assertEquals(0, rows.get(rows.size() - 1).inFlight());
        for (int i = 1; i < rows.size(); i++) {
            assertTrue(rows.get(i).second() >= rows.get(i - 1).second());
        }
        assertTrue(rows.stream().filter(r -> r.decided() > 0).count() >= 2, "records spread over intervals");
    }

    @Test
    void hlogsParseBackAndLineUpWithTheTimeline() throws IOException {
        List<Long> connect = intervalCounts(ResultsLayout.CONNECT_HLOG);
        List<TimelineRow> rows = folder.timeline();
        assertEquals(rows.size(), connect.size(), "one hlog interval per timeline row");
        assertEquals(expected.connect.size(), connect.stream().mapToLong(Long::longValue).sum());
        for (int i = 0; i < rows.size(); i++) {
            TimelineRow r = rows.get(i);
            long connectedInRow = r.outcome(Outcome.OK) + r.outcome(Outcome.CONNECTED_UNSERVED) + r.outcome(Outcome.RESET);
            assertEquals(connectedInRow, connect.get(i), "interval " + i);
        }
        assertEquals(expected.service.size(), intervalCounts(ResultsLayout.CONNECT_SERVICE_HLOG).stream()
                .mapToLong(Long::longValue).sum());
        assertEquals(expected.ttfb.size(), intervalCounts(ResultsLayout.TTFB_HLOG).stream()
                .mapToLong(Long::longValue).sum());
    }

    private static List<Long> intervalCounts(String file) throws IOException {
        List<Long> counts = new ArrayList<>();
        try (HistogramLogReader reader = new HistogramLogReader(folder.folder().resolve(file).toFile())) {
            EncodableHistogram h;
            while ((h = reader.nextIntervalHistogram()) != null) {
                counts.add(((org.HdrHistogram.Histogram) h).getTotalCount());
            }
        }
        return counts;
    }

    @Test
    void histogramLogProcessorReadsConnectLog() throws Exception {
        Path out = root.resolve("processed");
        new HistogramLogProcessor(new String[] {"-i", folder.folder().resolve(ResultsLayout.CONNECT_HLOG).toString(),
                "-o", out.toString()}).run();
        String hgrm = Files.readString(Path.of(out + ".hgrm"));
        Matcher m = Pattern.compile("Total count\\s*=\\s*(\\d+)").matcher(hgrm);
        assertTrue(m.find(), hgrm);
        assertEquals(expected.connect.size(), Long.parseLong(m.group(1)));
    }

    @Test
    void connectionsCsvHasEveryRecord() throws IOException {
        List<String> lines = Files.readAllLines(folder.folder().resolve(ResultsLayout.CONNECTIONS_CSV));
        assertEquals(String.join(",", ResultsLayout.CONNECTION_COLUMNS), lines.get(0));
        assertEquals(N, lines.size() - 1);
        assertEquals(N, summary.json().get("connections_csv_rows").asLong());
        assertEquals(0, summary.json().get("connections_csv_dropped").asLong());
        // id 3 is an error with a quoted detail; the times are ms since the epoch with 3 decimals
        String row3 = lines.stream().filter(l -> l.startsWith("3,")).findFirst().orElseThrow();
        assertEquals("3,1,0.003,0.013,,,3000.013,3000.014,error,0,127.0.0.1:30003,none,\"EHOSTUNREACH, \"\"no route\"\"\"",
                row3);
        // id 0: late start (5 ms), connected 10 µs after the call, SYN retransmitted once
        String row0 = lines.stream().filter(l -> l.startsWith("0,")).findFirst().orElseThrow();
        assertEquals("0,0,0.000,5.000,5.010,5.210,5.210,5.211,ok,1,127.0.0.1:30000,fin,", row0);
    }

    @Test
    void runJsonCompleteWithEnvironment() throws IOException {
        JsonNode run = MAPPER.readTree(folder.folder().resolve(ResultsLayout.RUN_JSON).toFile());
        assertTrue(run.get("complete").asBoolean());
        assertFalse(run.get("finished_utc").isNull());
        assertEquals("four threads", run.get("name").asText());
        assertEquals(0, run.get("phases").get(0).get("index").asInt());
        assertTrue(folder.complete());
        assertTrue(folder.folder().getFileName().toString().matches("\\d{8}T\\d{6}Z-four-threads"),
                folder.folder().toString());
        try (var files = Files.list(folder.folder())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temp file left");
        }
    }

    @Test
    void consoleShowsProgressAndTable() {
        assertTrue(console.contains("phase 0 at"), console);
        assertTrue(console.lines().anyMatch(l -> l.contains("started") && l.contains("in flight")
                && l.contains("p99 connect")), console);
        assertFalse(console.contains("\r"), "plain lines when not interactive");
        assertTrue(console.contains("connect-timeout"), console);
        assertTrue(console.contains("Run four threads: complete"), console);
        assertTrue(console.contains("held_max"), console);
        assertTrue(console.contains(folder.folder().toString()), console);
    }

    @Test
    void noSummaryFieldIsMissingForEmptyLatencies() throws IOException {
        // ttfb present with count 0 when no probe expected a byte: checked on a run with only refusals
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RunRecording rec = RunRecording.start(Synthetic.options(root, "refused only", 10, false, out, true),
                Duration.ofMillis(100))) {
            Synthetic.feed(rec, 16);
            RunSummary s = rec.finish(true, Map.of());
            JsonNode ttfb = s.json().get("ttfb_ms");
            assertEquals(0, ttfb.get("count").asLong());
            assertTrue(ttfb.get("p99").isNull());
            assertEquals(1, s.json().get("outcomes").get("refused").asLong());
            assertNull(s.json().get("launch_spread_ms"));
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\r\u001b[2K"), "redrawn in place when interactive");
    }
}
