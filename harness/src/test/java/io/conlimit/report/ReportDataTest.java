package io.conlimit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.fleet.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's embedded data checked against summary.json and the folder's files, without a browser. */
class ReportDataTest {
    @TempDir
    static Path dir;
    static Path burst;
    static JsonNode summary;
    static JsonNode data;

    @BeforeAll
    static void aRealBurstRun() throws IOException {
        burst = ReportFixtures.run(dir, ReportFixtures.BURST, "burst");
        summary = ReportFixtures.json(burst.resolve("summary.json"));
        data = ReportFixtures.pageData(burst.resolve(ReportWriter.FILE));
    }

    @Test
    void theRunItselfWroteAPageWhoseSummaryIsSummaryJson() {
        assertEquals("run", data.path("kind").asText());
        assertEquals(summary, data.path("run").path("summary"), "summary.json embedded as it is");
        assertEquals(12, summary.path("connections").asInt());
    }

    @Test
    void theScatterHasEveryConnectionUnderItsOutcomeWithSummaryJsonsCounts() throws IOException {
        JsonNode sc = data.path("run").path("scatter");
        assertFalse(sc.path("sampled").asBoolean());
        assertEquals(summary.path("connections").asLong(), sc.path("total").asLong());
        assertEquals(ReportFixtures.rows(burst.resolve("connections.csv")), sc.path("shown").asLong());
        long drawnOutcomes = 0;
        for (Outcome o : Outcome.values()) {
            long expected = summary.path("outcomes").path(o.key()).asLong();
            JsonNode series = null;
            for (JsonNode s : sc.path("series")) {
                if (s.path("outcome").asText().equals(o.key())) {
                    series = s;
                }
            }
            if (expected == 0) {
                assertNull(series, o.key() + " did not occur and has no series");
                continue;
            }
            drawnOutcomes++;
            assertEquals(expected, series.path("count").asLong(), o.key());
            assertEquals(expected, series.path("x").size(), o.key());
            assertEquals(expected, series.path("y").size(), o.key());
        }
        assertEquals(drawnOutcomes, sc.path("series").size());
        for (JsonNode s : sc.path("series")) {
            if (s.path("outcome").asText().equals("connect-timeout")) {
                for (JsonNode y : s.path("y")) { // decided at the 1.5 s connect timeout, measured from the intended start
                    assertTrue(y.asDouble() >= 1500 && y.asDouble() < 1800, "a connect-timeout at " + y + " ms");
                }
            }
        }
        JsonNode schedule = summary.path("prediction").path("client_syn_schedule").path("retransmit_at_s");
        assertTrue(schedule.size() > 0, "the client kernel's SYN schedule is known");
        assertEquals(schedule, data.path("run").path("syn_schedule_s"), "the dashed lines are the client kernel's schedule");
    }

    @Test
    void theTimelineAddsUpToSummaryJsonsOutcomes() throws IOException {
        JsonNode t = data.path("run").path("timeline");
        assertEquals(ReportFixtures.rows(burst.resolve("timeline.csv")), t.path("end").size());
        for (Outcome o : Outcome.values()) {
            long sum = 0;
            for (JsonNode v : t.path("outcomes").path(o.key())) {
                sum += v.asLong();
            }
            assertEquals(summary.path("outcomes").path(o.key()).asLong(), sum, o.key());
        }
        long intended = 0;
        long started = 0;
        for (int i = 0; i < t.path("end").size(); i++) {
            intended += t.path("intended").get(i).asLong();
            started += t.path("started").get(i).asLong();
        }
        assertEquals(12, intended);
        assertEquals(summary.path("connections").asLong(), started);
    }

    @Test
    void theLatencyCurvesAreTheHlogsWhichAddUpToSummaryJson() {
        JsonNode connect = null;
        for (JsonNode c : data.path("run").path("percentiles")) {
            if (c.path("name").asText().equals("connect")) {
                connect = c;
            }
        }
        assertTrue(connect != null, "connect.hlog drawn");
        assertEquals(summary.path("connect_ms").path("count").asLong(), connect.path("count").asLong());
        assertEquals(summary.path("connect_ms").path("max").asDouble(), connect.path("max_ms").asDouble(),
                summary.path("connect_ms").path("max").asDouble() * 0.001, "HdrHistogram's 3 significant digits");
        assertTrue(connect.path("x").size() > 0);
        assertEquals(1.0, connect.path("x").get(0).asDouble(), 1e-9, "the plotter's x starts at 1/(1-0)");
        double last = 0;
        for (JsonNode ms : connect.path("ms")) {
            assertTrue(ms.asDouble() >= last, "latency grows with the percentile");
            last = ms.asDouble();
        }
    }

    @Test
    void theKernelSamplesAndTheHeldCountAreTheFilesAndTheCensus() throws IOException {
        JsonNode k = data.path("run").path("kernel");
        assertTrue(summary.path("kernel").path("observed").asBoolean(), "local target: the kernel is observed");
        assertEquals(summary.path("kernel").path("samples").asLong(), k.path("samples").asLong());
        assertEquals(ReportFixtures.rows(burst.resolve("kernel-timeline.csv")), k.path("t").size());
        long maxQueued = 0;
        for (JsonNode q : k.path("queued")) {
            maxQueued = Math.max(maxQueued, q.asLong());
        }
        assertEquals(summary.path("kernel").path("queue_max_seen").asLong(), maxQueued);
        long peak = 0;
        for (JsonNode h : data.path("run").path("held").path("held")) {
            peak = Math.max(peak, h.asLong());
        }
        assertEquals(summary.path("server_sockets").path("client_connected").asLong(), peak,
                "held until the end: the peak the client held is what the census found it holding");
    }

    @Test
    void thePageIsSelfContained() throws IOException {
        String html = Files.readString(burst.resolve(ReportWriter.FILE), StandardCharsets.UTF_8);
        assertFalse(html.contains("<script src"), "no script is fetched");
        assertFalse(html.contains("<link"), "no style sheet is fetched");
        assertFalse(html.matches("(?s).*(src|href)=\"(https?:)?//.*"), "no address on the network");
        assertTrue(html.contains("uPlot"), "uPlot inlined");
        assertTrue(html.length() < 400_000, "a small run's page is small: " + html.length());
    }

    @Test
    void aRunKilledBeforeItsSummaryStillGetsAPageThatSaysSo() throws IOException {
        Path killed = Files.createDirectories(dir.resolve("killed"));
        try (var files = Files.list(burst)) {
            for (Path f : files.toList()) {
                if (!f.getFileName().toString().equals("summary.json") && !f.getFileName().toString().equals(ReportWriter.FILE)) {
                    Files.copy(f, killed.resolve(f.getFileName()));
                }
            }
        }
        JsonNode d = ReportFixtures.pageData(ReportWriter.write(killed)).path("run");
        assertFalse(d.path("complete").asBoolean());
        assertTrue(d.path("summary").isNull());
        assertTrue(d.path("absent").path("summary").asText().contains("never wrote summary.json"), d.path("absent").toString());
        assertEquals(ReportFixtures.rows(killed.resolve("connections.csv")), d.path("scatter").path("total").asLong(),
                "what the files hold is still drawn");
    }

    @Test
    void embeddedJsonCannotCloseItsScriptElement() throws IOException {
        ObjectNode o = new ObjectMapper().createObjectNode().put("detail", "</script><!-- & \u2028");
        String s = Page.json(o);
        assertFalse(s.contains("<") || s.contains(">") || s.contains("&"), s);
        assertEquals(o, new ObjectMapper().readTree(s));
    }

    @Test
    void csvRecordsReadQuotedFieldsAsTheWriterQuotesThem() throws IOException {
        try (CsvRecords r = new CsvRecords(new StringReader("a,b,c\n1,,\"x, \"\"y\"\"\nz\"\n2,3,4"))) {
            assertEquals(List.of("a", "b", "c"), r.next());
            assertEquals(List.of("1", "", "x, \"y\"\nz"), r.next());
            assertEquals(List.of("2", "3", "4"), r.next());
            assertNull(r.next());
        }
    }

    @Test
    void aHugeRunIsSampledPerOutcomeAndSaysSo() throws IOException {
        Path csv = dir.resolve("huge").resolve("connections.csv");
        Files.createDirectories(csv.getParent());
        StringBuilder b = new StringBuilder(String.join(",", io.conlimit.results.ResultsLayout.CONNECTION_COLUMNS)).append('\n');
        int n = 120_000;
        for (int i = 0; i < n; i++) { // 3 errors among 119,997 ok
            boolean error = i % 40_000 == 0;
            double t = i * 0.1;
            b.append(i).append(",0,").append(String.format("%.3f,%.3f,", t, t + 0.01))
                    .append(error ? "" : String.format("%.3f", t + 1)).append(",,").append(String.format("%.3f,%.3f,", t + 2, t + 3))
                    .append(error ? "error" : "ok").append(",0,127.0.0.1:1,fin,").append(error ? "\"boom, twice\"" : "").append('\n');
        }
        Files.writeString(csv, b);
        JsonNode sc = Connections.read(csv).scatter();
        assertTrue(sc.path("sampled").asBoolean());
        assertEquals(n, sc.path("total").asInt());
        JsonNode ok = sc.path("series").get(0);
        JsonNode error = sc.path("series").get(1);
        assertEquals("ok", ok.path("outcome").asText());
        assertEquals(n - 3, ok.path("count").asInt(), "the full count");
        assertEquals(3, ok.path("every").asInt(), "119,997 into a budget of 50,000: every 3rd");
        assertEquals((n - 3 + 2) / 3, ok.path("shown").asInt());
        assertEquals(3, error.path("count").asInt());
        assertEquals(1, error.path("every").asInt(), "a rare outcome is drawn whole");
        assertEquals(3, error.path("shown").asInt());
        assertEquals(1.99, error.path("y").get(0).asDouble(), 1e-9, "never connected: drawn at its decision, 1.99 ms after its connect() call");
        assertTrue(sc.path("shown").asInt() <= Connections.SCATTER_BUDGET + Connections.SCATTER_FLOOR);
    }
}
