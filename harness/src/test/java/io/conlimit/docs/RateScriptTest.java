package io.conlimit.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bench/rate-side-by-side.sh in a short mode (2 rounds of 2,000/s for 2 s), so the documented benchmark
 * (docs/benchmarks.md, section 2) cannot rot: both clients run the same schedule, and the CSV, the runs' own
 * summaries and the verdict line agree.
 */
class RateScriptTest {
    private static final Path SCRIPT = DocShell.REPO.resolve("bench/rate-side-by-side.sh");
    private static final Pattern VERDICT = Pattern.compile("rate-side-by-side: conlimit under 1% late in (\\d+) of 2 runs, "
            + "median ([0-9.]+)%; the C loop median ([0-9.]+)%.*");

    @TempDir
    Path dir;

    @Test
    void twoShortRoundsOfBothClientsAgreeWithTheirSummaries() throws Exception {
        String jars = DocShell.jarsNotReady().orElse(null);
        assumeTrue(jars == null, () -> "rate script test skipped: " + jars);
        for (String tool : List.of("bash", "cc", "awk")) {
            assumeTrue(onPath(tool), () -> "rate script test skipped: " + tool + " is not on the PATH");
        }
        Path out = dir.resolve("rate");
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.txt").toFile());
        pb.environment().putAll(Map.of("RATE_RATE", "2000", "RATE_SECONDS", "2", "RATE_REPS", "2", "RATE_OUT", out.toString()));
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("bench/rate-side-by-side.sh did not end within 180 s:\n" + console());
        }
        String console = console();
        assertEquals(0, p.exitValue(), console);

        List<String> csv = Files.readAllLines(out.resolve("runs.csv"));
        assertEquals("round,client,late,connections,late_pct,load1,utc", csv.get(0));
        assertEquals(5, csv.size(), "2 rounds of 2 clients:\n" + String.join("\n", csv));
        for (int i = 1; i < csv.size(); i++) {
            String[] f = csv.get(i).split(",");
            assertEquals(String.valueOf((i + 1) / 2), f[0], "round: " + csv.get(i));
            assertEquals(i % 2 == 1 ? "conlimit" : "c", f[1], "interleaved, conlimit first: " + csv.get(i));
            long late = Long.parseLong(f[2]);
            long n = Long.parseLong(f[3]);
            assertEquals(4_000, n, "2,000/s for 2 s: " + csv.get(i));
            assertTrue(late >= 0 && late <= n, csv.get(i));
            assertEquals(100.0 * late / n, Double.parseDouble(f[4]), 0.006, "late_pct: " + csv.get(i));
            if (f[1].equals("conlimit")) {
                JsonNode s = new ObjectMapper().readTree(out.resolve("r" + f[0] + "-conlimit/summary.json").toFile());
                assertEquals(n, s.get("connections").asLong(), "the run's own count");
                assertEquals(late, s.get("late_starts").asLong(), "the run's own late starts");
                assertEquals(n, s.path("outcomes").path("connected").asLong(), "every connection connected: " + s.path("outcomes"));
            }
        }
        String verdict = Files.readString(out.resolve("summary.txt"), StandardCharsets.UTF_8).trim();
        Matcher m = VERDICT.matcher(verdict);
        assertTrue(m.matches(), "verdict line: " + verdict);
        assertTrue(console.contains(verdict), "the verdict is printed:\n" + console);
    }

    private String console() throws java.io.IOException {
        return Files.readString(dir.resolve("console.txt"), StandardCharsets.UTF_8);
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
