package io.conlimit.record;

import io.conlimit.lab.LabProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the rehearsal is for (docs/benchmarks.md, item 14): once the load has begun, the recording loads no
 * HdrHistogram class (the first tick's ConcurrentHistogram made the JVM deoptimize every thread, the event loops
 * stalled 10 to 40 ms). A fresh JVM runs `conlimit run` at 1,000/s for 2.5 s (two ticks) against its embedded target
 * with {@code -Xlog:class+load} on its stdout (and without the connect-path warm-up, so the load begins before the
 * first tick), where the console's "phase 0 at" line marks the start of the load;
 * the same run with {@code -Dconlimit.rehearsal=false} shows that the check sees such a load when it happens.
 */
@Timeout(120)
class RehearsalEffectTest {
    @TempDir
    Path tmp;

    @Test
    void noHistogramClassIsLoadedOnceTheLoadHasBegun() throws Exception {
        List<String> rehearsed = loadedAfterTheLoadBegan("rehearsed", List.of());
        assertEquals(List.of(), rehearsed, "HdrHistogram classes loaded during the load");
        List<String> cold = loadedAfterTheLoadBegan("cold", List.of("-Dconlimit.rehearsal=false"));
        assertTrue(cold.stream().anyMatch(c -> c.equals("org.HdrHistogram.ConcurrentHistogram")),
                "without the rehearsal the first tick loads ConcurrentHistogram during the load: " + cold);
    }

    /** The org.HdrHistogram classes the child JVM loaded after its console said the first phase began. */
    private List<String> loadedAfterTheLoadBegan(String tag, List<String> jvmOptions) throws IOException, InterruptedException {
        // no warm-up: the phase begins right after the recording's epoch, well before its first tick at 1 s
        List<String> options = new ArrayList<>(List.of("-Xlog:class+load=info:stdout", "-Dconlimit.warmup=false"));
        options.addAll(jvmOptions);
        Path out = tmp.resolve(tag + ".txt");
        Process p = new ProcessBuilder(LabProcesses.javaCommand(options, "io.conlimit.cli.Main", List.of("run",
                "--rate", "1000/s", "--duration", "2500ms", "--no-report", "--out", tmp.resolve(tag).toString())))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(tag + ": the run did not end within 90 s");
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), tag + ": " + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
        int began = -1;
        for (int i = 0; i < lines.size() && began < 0; i++) {
            if (lines.get(i).startsWith("phase 0 at ")) {
                began = i;
            }
        }
        assertFalse(began < 0, tag + ": no 'phase 0 at' line in the console");
        List<String> loaded = new ArrayList<>();
        for (String line : lines.subList(began, lines.size())) {
            int at = line.indexOf("[class,load] org.HdrHistogram.");
            if (at >= 0) {
                loaded.add(line.substring(at + "[class,load] ".length()).split(" ")[0]);
            }
        }
        return loaded;
    }
}
