package io.conlimit.docs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * bench/soak.sh in its short mode (20 s at 2,000/s), so the documented 10-minute soak (docs/benchmarks.md, section 5)
 * cannot rot: it must write its CSV and its summary line, and both must agree with the run and with each other.
 */
class SoakScriptTest {
    private static final Path SCRIPT = DocShell.REPO.resolve("bench/soak.sh");
    private static final String HEADER =
            "t_s,rss_kb,eden_used_kb,survivor_used_kb,old_used_kb,post_gc_heap_kb,young_gcs,full_gcs,gc_time_s,live_heap_kb";
    private static final Pattern SUMMARY = Pattern.compile("soak: 20 s at 2000/s, (\\d+) samples; young GCs (\\d+) "
            + "\\((\\d+) after the 5 s warm-up\\), full GCs (\\d+) \\((\\d+) forced by the sampler\\), GC time [0-9.]+ s\\. "
            + "RSS [0-9.]+ -> [0-9.]+ MB \\([0-9.]+ at the warm-up\\), growth [-+][0-9.]+ MB/min over (\\d+) samples; "
            + "live heap after a full GC .*; survivor \\+ old after young GCs.*");

    @TempDir
    Path dir;

    @Test
    void theShortSoakWritesItsSamplesAndSummary() throws Exception {
        String jars = DocShell.jarsNotReady().orElse(null);
        assumeTrue(jars == null, () -> "soak script test skipped: " + jars);
        for (String tool : List.of("bash", "jstat", "awk")) {
            assumeTrue(onPath(tool), () -> "soak script test skipped: " + tool + " is not on the PATH");
        }
        Path out = dir.resolve("soak");
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("console.txt").toFile());
        pb.environment().putAll(java.util.Map.of("SOAK_SECONDS", "20", "SOAK_WARMUP", "5", "SOAK_SAMPLE", "2", "SOAK_FULL_GC", "5",
                "SOAK_OUT", out.toString()));
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("bench/soak.sh did not end within 180 s:\n" + console());
        }
        String console = console();
        assertEquals(0, p.exitValue(), console);

        List<String> csv = Files.readAllLines(out.resolve("soak.csv"));
        assertEquals(HEADER, csv.get(0), "soak.csv header");
        List<long[]> rows = csv.subList(1, csv.size()).stream().map(SoakScriptTest::row).toList();
        // every 2 s, but a forced full collection's jcmd takes seconds on a loaded machine
        assertTrue(rows.size() >= 3, "at least 3 samples in 20 s:\n" + String.join("\n", csv));
        long forced = 0;
        for (int i = 0; i < rows.size(); i++) {
            long[] r = rows.get(i);
            assertTrue(r[1] > 10_000 && r[1] < 4_000_000, "RSS in KB of a JVM: " + csv.get(i + 1));
            assertEquals(r[3] + r[4], r[5], "post-GC heap = survivor + old: " + csv.get(i + 1));
            if (r[8] >= 0) {
                forced++;
                assertTrue(r[8] > 1_000 && r[8] < 256 * 1024, "live heap in KB within -Xmx256m: " + csv.get(i + 1));
            }
            if (i > 0) {
                assertTrue(r[0] > rows.get(i - 1)[0], "times increase: " + csv);
                assertTrue(r[6] >= rows.get(i - 1)[6], "young GC counts never decrease: " + csv);
            }
        }
        long gcs = rows.get(rows.size() - 1)[6];
        assertTrue(gcs >= 2, "-Xmn16m at 2,000/s collects every few seconds; young GCs: " + gcs + "\n" + csv);

        String summary = Files.readString(out.resolve("summary.txt"), StandardCharsets.UTF_8).trim();
        Matcher m = SUMMARY.matcher(summary);
        assertTrue(m.matches(), "summary line: " + summary);
        assertEquals(rows.size(), Integer.parseInt(m.group(1)), "samples in the summary = rows of the CSV");
        assertEquals(gcs, Long.parseLong(m.group(2)), "young GCs in the summary = the CSV's last count");
        assertTrue(forced >= 1, "SOAK_FULL_GC=5 forces a full collection every 5 s: " + csv);
        assertEquals(forced, Long.parseLong(m.group(5)), "forced full GCs in the summary = live heap samples in the CSV");
        assertTrue(Long.parseLong(m.group(4)) >= forced, "full GCs count the forced ones");
        assertTrue(console.contains(summary), "the summary line is printed:\n" + console);

        JsonNode run = new ObjectMapper().readTree(out.resolve("run/summary.json").toFile());
        assertTrue(run.get("complete").asBoolean(), "the run completed");
        assertEquals(40_000, run.get("connections").asLong(), "open loop: 2,000/s for 20 s");
    }

    private String console() throws java.io.IOException {
        return Files.readString(dir.resolve("console.txt"), StandardCharsets.UTF_8);
    }

    private static long[] row(String line) {
        String[] f = line.split(",");
        assertTrue(f.length == 9 || f.length == 10, "10 columns, the last one empty without a forced full GC: " + line);
        long[] r = new long[9];
        for (int i = 0; i < 8; i++) {
            r[i] = Long.parseLong(f[i]);
        }
        Double.parseDouble(f[8]); // gc_time_s
        r[8] = f.length == 10 ? Long.parseLong(f[9]) : -1; // live_heap_kb
        return r;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
