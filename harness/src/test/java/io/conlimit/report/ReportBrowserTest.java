package io.conlimit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reports of real runs opened in a real browser (Debian's headless Chromium through its chromedriver) from
 * file:// addresses: no console error, every plot drawn with the number of points its data has, the scatter's
 * legend the outcomes of summary.json. Screenshots go to target/report-screenshots/ for people to look at.
 * Skips, saying why, without chromium and chromedriver ({@link BrowserCondition}; {@code .ci/run} installs them).
 */
@ExtendWith(BrowserCondition.class)
class ReportBrowserTest {
    static final Path CHROMEDRIVER = BrowserCondition.CHROMEDRIVER;
    static final Path CHROMIUM = BrowserCondition.CHROMIUM;
    static final Path SCREENSHOTS = Path.of("target", "report-screenshots");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static ChromeDriver driver;
    static Path burst;
    static Path wider;

    @BeforeAll
    static void runsAndABrowser() throws IOException {
        burst = ReportFixtures.run(dir, ReportFixtures.BURST, "burst");
        wider = ReportFixtures.run(dir, ReportFixtures.BURST, "burst-backlog-4", "--set", "server.backlog=4");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,900", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void quit() {
        if (driver != null) {
            driver.quit();
        }
    }

    /** What the page says about its plots once every one was drawn (or the deadline passed). */
    private JsonNode open(Path page, String screenshot) throws IOException {
        driver.manage().logs().get(LogType.BROWSER); // drop what an earlier page logged
        driver.manage().window().setSize(new Dimension(1200, 900));
        driver.get(page.toUri().toString());
        JavascriptExecutor js = driver;
        String state = "";
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            state = (String) js.executeScript("var r = window.conlimitReport;"
                    + "var figs = Array.from(document.querySelectorAll('figure[data-plot]'));"
                    + "return JSON.stringify({ready: !!(r && r.ready), problems: r ? r.problems : [],"
                    + " allDrawn: figs.length > 0 && figs.every(function (f) { return f.dataset.drawn === 'true'; }),"
                    + " figures: figs.map(function (f) { return {id: f.dataset.plot, points: +f.dataset.points, drawn: f.dataset.drawn,"
                    + "   inked: Array.from(f.querySelectorAll('canvas')).some(function (c) { return c.width > 0 && c.height > 0; })}; }),"
                    + " legend: Array.from(document.querySelectorAll('#plot-scatter .u-legend .u-series .u-label')).map(function (e) { return e.textContent; }),"
                    + " verdict: (document.getElementById('verdict') || {}).textContent || null});");
            JsonNode s = JSON.readTree(state);
            if (s.path("ready").asBoolean() && s.path("allDrawn").asBoolean()) {
                break;
            }
            Thread.onSpinWait();
        }
        JsonNode s = JSON.readTree(state);
        long height = (Long) js.executeScript("return document.documentElement.scrollHeight;");
        driver.manage().window().setSize(new Dimension(1200, (int) Math.min(height + 40, 16_000)));
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(screenshot), StandardCopyOption.REPLACE_EXISTING);
        List<String> severe = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(e.getMessage());
            }
        }
        assertEquals(List.of(), severe, "console errors of " + page);
        assertTrue(s.path("ready").asBoolean() && s.path("allDrawn").asBoolean(), "every plot drawn: " + state);
        assertEquals(0, s.path("problems").size(), state);
        for (JsonNode f : s.path("figures")) {
            assertTrue(f.path("inked").asBoolean(), f.path("id").asText() + " has a canvas");
        }
        return s;
    }

    private static Map<String, Long> points(JsonNode state) {
        Map<String, Long> m = new HashMap<>();
        state.path("figures").forEach(f -> m.put(f.path("id").asText(), f.path("points").asLong()));
        return m;
    }

    private static long nonEmpty(Path csv, int column) throws IOException {
        try (var lines = Files.lines(csv)) {
            return lines.skip(1).filter(l -> !l.isEmpty() && !l.split(",", -1)[column].isEmpty()).count();
        }
    }

    private static long curvePoints(JsonNode run, String only) {
        long n = 0;
        for (JsonNode c : run.path("percentiles")) {
            if (c.path("count").asLong() > 0 && (only == null || c.path("name").asText().equals(only))) {
                n += c.path("x").size();
            }
        }
        return n;
    }

    @Test
    void aRunsPageDrawsEveryPlotWithItsDataAndTheOutcomesOfSummaryJson() throws IOException {
        JsonNode summary = ReportFixtures.json(burst.resolve("summary.json"));
        JsonNode run = ReportFixtures.pageData(burst.resolve(ReportWriter.FILE)).path("run");
        JsonNode s = open(burst.resolve(ReportWriter.FILE), "run.png");
        Map<String, Long> p = points(s);
        long rows = ReportFixtures.rows(burst.resolve("timeline.csv"));
        long kernelRows = ReportFixtures.rows(burst.resolve("kernel-timeline.csv"));
        List<String> outcomes = new ArrayList<>();
        summary.path("outcomes").fields().forEachRemaining(e -> {
            if (e.getValue().asLong() > 0) {
                outcomes.add(e.getKey() + ": " + e.getValue().asLong());
            }
        });
        assertEquals(ReportFixtures.rows(burst.resolve("connections.csv")), p.get("scatter"));
        assertEquals(rows * outcomes.size(), p.get("outcomes"), "one bar per interval and outcome that occurred");
        assertEquals(rows * 3, p.get("arrivals"), "intended, connect() calls, late starts per interval");
        assertEquals(nonEmpty(burst.resolve("kernel-timeline.csv"), 1), p.get("queue"));
        JsonNode last = run.path("kernel");
        long counters = 0;
        for (var it = last.path("counters").fields(); it.hasNext(); ) {
            var c = it.next();
            if (c.getKey().equals("ListenOverflows") || c.getValue().get(c.getValue().size() - 1).asLong() != 0) {
                counters++;
            }
        }
        assertEquals(kernelRows * counters, p.get("counters"));
        long census = 2 + (summary.path("server_sockets").path("phantoms").asLong() > 0 ? 1 : 0);
        assertEquals(run.path("held").path("t").size() + nonEmpty(burst.resolve("kernel-timeline.csv"), 1) + census, p.get("held"));
        assertEquals(curvePoints(run, null), p.get("percentiles"));
        List<String> legend = new ArrayList<>();
        s.path("legend").forEach(l -> {
            if (!l.asText().startsWith("SYN retransmit")) {
                legend.add(l.asText());
            }
        });
        assertEquals(outcomes, legend, "the scatter's legend is summary.json's outcomes");
        assertTrue(s.path("verdict").asText().contains("predicted " + summary.path("limit").path("predicted").asLong()
                + ", measured " + summary.path("limit").path("measured").asLong()), s.path("verdict").asText());
    }

    @Test
    void aSweepsPageDrawsMeasuredAndPredictedForEveryCell() throws IOException {
        Path file = ReportFixtures.scenario(dir, "hold", ReportFixtures.HOLD);
        Path out = dir.resolve("sweep");
        ReportFixtures.conlimit("sweep", file.toString(), "--vary", "server.backlog=2,4", "--out", out.toString());
        JsonNode sweep = ReportFixtures.json(out.resolve("sweep.json"));
        long values = 0;
        for (JsonNode c : sweep.path("cells")) {
            values += (c.path("limit").path("measured").isNumber() ? 1 : 0) + (c.path("limit").path("predicted").isNumber() ? 1 : 0);
            assertTrue(Files.exists(out.resolve(c.path("folder").asText()).resolve(ReportWriter.FILE)), "each cell has its page");
        }
        assertEquals(4, values, "two cells, each measured and predicted: " + sweep);
        JsonNode s = open(out.resolve(ReportWriter.FILE), "sweep.png");
        assertEquals(values, points(s).get("sweep"));
    }

    @Test
    void aFindLimitPageDrawsEachProbeAndNamesTheKnee() throws IOException {
        Path file = ReportFixtures.scenario(dir, "hold-find", ReportFixtures.HOLD);
        Path out = dir.resolve("find-limit");
        ReportFixtures.conlimit("find-limit", file.toString(), "--for", "hold", "--out", out.toString());
        JsonNode f = ReportFixtures.json(out.resolve("find-limit.json"));
        JsonNode s = open(out.resolve(ReportWriter.FILE), "find-limit.png");
        assertEquals(f.path("runs").size(), points(s).get("find-limit"));
        assertTrue(s.path("verdict").asText().contains("Knee: " + f.path("knee").asLong()), s.path("verdict").asText());
    }

    @Test
    void aComparisonOverlaysBothRuns() throws IOException {
        Path page = dir.resolve("compare.html");
        ReportFixtures.conlimit("report", "--compare", burst.toString(), wider.toString(), "--out", page.toString());
        JsonNode d = ReportFixtures.pageData(page);
        JsonNode s = open(page, "compare.png");
        Map<String, Long> p = points(s);
        assertEquals(ReportFixtures.rows(burst.resolve("connections.csv")) + ReportFixtures.rows(wider.resolve("connections.csv")),
                p.get("scatter"));
        assertEquals(curvePoints(d.path("a"), "connect") + curvePoints(d.path("b"), "connect"), p.get("percentiles"));
        assertEquals(nonEmpty(burst.resolve("kernel-timeline.csv"), 1) + nonEmpty(wider.resolve("kernel-timeline.csv"), 1), p.get("queue"));
        assertTrue(s.path("verdict").asText().length() > 0, "a verdict line");
    }
}
