package io.conlimit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.results.RunComparison;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conlimit compare} on run folders written the way RunRecording writes them (docs/results.md). */
class CompareCommandTest {
    @TempDir
    Path dir;

    private record Out(int code, String out, String err) {
    }

    private static Out compare(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Out(code, out.toString(), err.toString());
    }

    private Path folder(String name, String run, String summary) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f);
        Files.writeString(f.resolve("run.json"), run);
        if (summary != null) {
            Files.writeString(f.resolve("summary.json"), summary);
        }
        return f;
    }

    private static String run(String name) {
        return "{\"name\":\"" + name + "\",\"complete\":true,\"inputs\":{\"target\":\"target 198.18.1.1:8080\","
                + "\"phases\":[\"burst of 600\"]}}";
    }

    /** A 128 run with kernel evidence and a prediction. */
    private static final String SUMMARY_128 = "{\"complete\":true,\"name\":\"a\",\"duration_s\":3.553,\"connections\":600,"
            + "\"outcomes\":{\"ok\":590,\"connected-unserved\":0,\"refused\":0,\"connect-timeout\":10,\"reset\":0,"
            + "\"client-limited\":0,\"error\":0},\"connect_ms\":{\"count\":590,\"p50\":1046.4791,\"p90\":3131.048,"
            + "\"p99\":3143.631,\"p999\":3143.631,\"max\":3143.631,\"mean\":1635.6},\"syn_retransmits\":{\"total\":933,"
            + "\"connections_with_retransmits\":469,\"max\":3,\"unknown\":0},\"launch_spread_ms\":45.063045,"
            + "\"kernel\":{\"observed\":true,\"source\":\"namespace x-srv\",\"backlog_seen\":128,\"queue_max_seen\":129,"
            + "\"counters_delta\":{\"ListenOverflows\":2830,\"ListenDrops\":2830},"
            + "\"server_settings\":{\"sysctls\":{\"net.core.somaxconn\":\"128\"}}},"
            + "\"consistency\":{\"status\":\"agree\"},\"prediction\":{\"binding\":\"backlog\"},"
            + "\"limit\":{\"quantity\":\"admitted_at_once\",\"predicted\":131,\"measured\":131}}";

    /** A 4096 run without kernel evidence, prediction or launch spread. */
    private static final String SUMMARY_4096 = "{\"complete\":true,\"name\":\"b\",\"duration_s\":0.753,\"connections\":600,"
            + "\"outcomes\":{\"ok\":600,\"connected-unserved\":0,\"refused\":0,\"connect-timeout\":0,\"reset\":0,"
            + "\"client-limited\":0,\"error\":0},\"connect_ms\":{\"count\":600,\"p50\":108.069,\"p90\":null,"
            + "\"p99\":176.947,\"p999\":212.992,\"max\":212.992,\"mean\":100.0},\"syn_retransmits\":{\"total\":0,"
            + "\"connections_with_retransmits\":0,\"max\":0,\"unknown\":0},\"held_max\":11,\"kernel\":null,\"consistency\":null}";

    private static String row(String table, String label) {
        return table.lines().filter(l -> l.startsWith("  " + label + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + label + "' in\n" + table)).replaceAll("\\s+", " ").trim();
    }

    @Test
    void twoRunsSideBySideWithDashesForWhatARunLacks() throws IOException {
        Path a = folder("a", run("a"), SUMMARY_128);
        Path b = folder("b", run("b"), SUMMARY_4096);
        Out o = compare("compare", a.toString(), b.toString());
        assertEquals(0, o.code(), o.err());
        String t = o.out();
        assertTrue(t.startsWith("A: " + a + " (a, complete)\nB: " + b + " (b, complete)\n"), t);
        assertEquals("connections 600 600 =", row(t, "connections"));
        assertEquals("ok 590 600 +10", row(t, "ok"));
        assertEquals("connect-timeout 10 0 -10", row(t, "connect-timeout"));
        assertEquals("p50 1046.479 108.069 -938.41", row(t, "p50"), "3 decimals at most");
        assertEquals("p90 3131.048 -", row(t, "p90"), "null prints as -");
        assertEquals("total 933 0 -933", row(t, "total"));
        assertEquals("launch spread ms 45.063 -", row(t, "launch spread ms"));
        assertEquals("held max - 11", row(t, "held max"));
        assertEquals("backlog seen (Send-Q) 128 -", row(t, "backlog seen (Send-Q)"));
        assertEquals("somaxconn 128 -", row(t, "somaxconn"), "a sysctl name with dots is one key");
        assertEquals("ListenOverflows (delta) 2830 -", row(t, "ListenOverflows (delta)"));
        assertEquals("SyncookiesSent (delta) - -", row(t, "SyncookiesSent (delta)"));
        assertEquals("status agree -", row(t, "status"));
        assertEquals("limit predicted 131 -", row(t, "limit predicted"));
        assertEquals("binding limit backlog -", row(t, "binding limit"));
        assertEquals("load burst of 600 burst of 600", row(t, "load"));
    }

    @Test
    void jsonHasBothValuesOfEveryRowNullWhenAbsent() throws IOException {
        Path a = folder("a", run("a"), SUMMARY_128);
        Path b = folder("b", run("b"), SUMMARY_4096);
        Out o = compare("compare", "--json", a.toString(), b.toString());
        assertEquals(0, o.code(), o.err());
        JsonNode j = new ObjectMapper().readTree(o.out());
        assertEquals(a.toString(), j.path("a").path("folder").asText());
        assertTrue(j.path("b").path("complete").asBoolean());
        assertEquals(RunComparison.rows().size(), j.path("rows").size());
        JsonNode backlog = null;
        for (JsonNode r : j.path("rows")) {
            if (r.path("path").toString().equals("[\"kernel\",\"backlog_seen\"]")) {
                backlog = r;
            }
        }
        assertTrue(backlog != null, o.out());
        assertEquals(128, backlog.path("a").asInt());
        assertTrue(backlog.path("b").isNull(), backlog.toString());
    }

    @Test
    void aRunKilledBeforeItsSummaryIsComparedAndSaidIncomplete() throws IOException {
        Path a = folder("a", run("a"), SUMMARY_128);
        Path b = folder("b", "{\"name\":\"b\",\"complete\":false}", null);
        Out o = compare("compare", a.toString(), b.toString());
        assertEquals(3, o.code(), "a run that did not complete cannot pass a gate: " + o.err());
        assertTrue(o.out().contains("B: " + b + " (b, INCOMPLETE: no summary.json"), o.out());
        assertEquals("connections 600 -", row(o.out(), "connections"));
        assertTrue(o.out().contains("; B has no summary.json (the run was killed before it finished)."), o.out());
        assertEquals("conlimit compare: " + b + " did not complete (exit 3): its numbers are what was recorded before it stopped\n",
                o.err());
    }

    @Test
    void theVerdictSaysWhichSideOverflowedWhoWaitedAndWhatBound() throws IOException {
        Path a = folder("a", run("a"), SUMMARY_128);
        Path b = folder("b", run("b"), SUMMARY_4096);
        Out o = compare("compare", a.toString(), b.toString());
        String last = o.out().lines().reduce((x, y) -> y).orElseThrow();
        assertEquals("verdict: A overflowed (backlog 128, ListenOverflows +2830), 469 of 600 clients waited for a SYN retransmit,"
                + " binding limit: backlog (the prediction's); B: overflow unknown (its server's kernel was not observed), 0 of 600"
                + " clients waited for a SYN retransmit, binding limit unknown.", last);
        String noPrediction = SUMMARY_128.replace("\"prediction\":{\"binding\":\"backlog\"},", "");
        Path c = folder("c", run("c"), noPrediction);
        Path d = folder("d", run("d"), SUMMARY_4096.replace("\"kernel\":null", "\"kernel\":{\"observed\":true,\"backlog_seen\":4096,"
                + "\"counters_delta\":{\"ListenOverflows\":0}}"));
        String v = compare("compare", c.toString(), d.toString()).out().lines().reduce((x, y) -> y).orElseThrow();
        assertEquals("verdict: A overflowed (backlog 128, ListenOverflows +2830), 469 of 600 clients waited for a SYN retransmit,"
                + " bound by its backlog 128 (the accept queue overflowed); B did not overflow (backlog 4096, ListenOverflows +0),"
                + " 0 of 600 clients waited for a SYN retransmit, no limit of the server reached.", v);
    }

    @Test
    void expectationsOverBothSidesAndTheirDifferenceGateTheExitCode() throws IOException {
        Path a = folder("a", run("a"), SUMMARY_128);
        Path b = folder("b", run("b"), SUMMARY_4096);
        Out pass = compare("compare", a.toString(), b.toString(), "--expect", "a.kernel.counters_delta.ListenOverflows > 0",
                "--expect", "a.kernel.backlog_seen == 128", "--expect", "b-a.ok >= 10", "--expect", "b.connect.p99 < 0.2s",
                "--expect", "b-a.connect.p50 < -900ms");
        assertEquals(0, pass.code(), pass.out() + pass.err());
        assertTrue(pass.out().endsWith("PASSED b.connect.p99 < 0.2s: measured 176.947 ms\n"
                + "PASSED b-a.connect.p50 < -900ms: measured -938.41 ms\nexpectations: 5 passed, 0 failed\n"), pass.out());

        Out fail = compare("compare", a.toString(), b.toString(), "--expect", "b-a.outcomes.connect-timeout == 0",
                "--expect", "b.kernel.backlog_seen == 4096", "--json");
        assertEquals(1, fail.code(), fail.out() + fail.err());
        JsonNode j = new ObjectMapper().readTree(fail.out());
        assertEquals("measured -10", j.path("expectations").path(0).path("detail").asText());
        assertEquals("b.kernel is null, so it has no 'backlog_seen'", j.path("expectations").path(1).path("detail").asText());
        assertEquals(1, j.path("exit_code").asInt());
        assertTrue(j.path("verdict").asText().startsWith("verdict: A overflowed"), j.toString());

        Out usage = compare("compare", a.toString(), b.toString(), "--expect", "ok > 1");
        assertEquals(2, usage.code());
        assertEquals("", usage.out());
        assertTrue(usage.err().startsWith("conlimit compare: --expect 'ok > 1': 'ok' names no side at column 1 (expected a path"
                + " starting with a. (RESULTS_A), b. (RESULTS_B) or b-a. (B minus A)"), usage.err());
        Out syntax = compare("compare", a.toString(), b.toString(), "--expect", "b.ok => 1");
        assertEquals(2, syntax.code());
        assertTrue(syntax.err().contains("unknown operator '=>' at column 6"), syntax.err());
    }

    @Test
    void aFolderThatIsNotAResultsFolderIsExit2WithAClearMessage() throws IOException {
        Path a = folder("a", run("a"), SUMMARY_128);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Out o = compare("compare", a.toString(), empty.toString());
        assertEquals(2, o.code());
        assertEquals("", o.out());
        assertTrue(o.err().startsWith("conlimit compare: " + empty + " is not a results folder: " + empty.resolve("run.json")), o.err());

        Out missing = compare("compare", dir.resolve("nope").toString(), a.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("is not a results folder"), missing.err());

        Files.writeString(empty.resolve("run.json"), "[1,2]");
        Out bad = compare("compare", a.toString(), empty.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("expected a JSON object"), bad.err());

        assertEquals(2, compare("compare", a.toString()).code(), "two folders needed");
    }
}
