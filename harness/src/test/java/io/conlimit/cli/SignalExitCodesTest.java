package io.conlimit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.results.ResultsLayout;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docs/run.md's exit codes after a signal: a run stopped by Ctrl-C (SIGINT) exits 130, by SIGTERM 143, and its
 * results folder is readable and marked incomplete. The child is the real CLI in its own JVM, started through
 * {@code env --default-signal=INT} so that SIGINT is not inherited as ignored (a background job's lot).
 */
@Timeout(120)
class SignalExitCodesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "SIG{0} -> {1}")
    @CsvSource({"INT,130", "TERM,143"})
    void aStoppedRunExitsWithTheShellsCodeAndIsMarkedIncomplete(String signal, int expected) throws Exception {
        assumeTrue(new ProcessBuilder("env", "--default-signal=INT", "true").start().waitFor() == 0,
                "env --default-signal (GNU coreutils 8.31+) is not available: SIGINT may be ignored in the child");
        Path out = dir.resolve("run-" + signal);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", java, "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", "--rate", "20/s", "--duration", "60s", "--no-report", "--no-kernel-evidence", "--out", out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.contains("started ")) { // the first progress line: the load is under way
                    break;
                }
            }
            assertTrue(line != null, "the run reported progress:\n" + seen);
            assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start().waitFor());
            while ((line = r.readLine()) != null) {
                seen.append(line).append('\n');
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the run ended after SIG" + signal);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(expected, p.exitValue(), seen.toString());
        JsonNode summary = new ObjectMapper().readTree(out.resolve(ResultsLayout.SUMMARY_JSON).toFile());
        assertFalse(summary.path("complete").asBoolean(true), summary.toString());
        assertTrue(summary.path("connections").asLong() > 0, summary.toString());
    }
}
