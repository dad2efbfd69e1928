package io.conlimit.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.results.ResultsLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JVM terminated by SIGTERM (what Ctrl-C's SIGINT also does: shutdown hooks run) leaves an incomplete, readable folder. */
class ShutdownHookTest {
    @TempDir
    Path root;

    @Test
    void terminatedRunIsMarkedIncomplete() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                ShutdownHookChild.class.getName(), root.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Path folder = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                folder = Path.of(line);
            }
            assertEquals("READY", line, "the child JVM reports it recorded");
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child exits after SIGTERM");
        } finally {
            p.destroyForcibly();
        }
        assertNotNull(folder);
        ObjectMapper m = new ObjectMapper();
        JsonNode summary = m.readTree(folder.resolve(ResultsLayout.SUMMARY_JSON).toFile());
        JsonNode run = m.readTree(folder.resolve(ResultsLayout.RUN_JSON).toFile());
        assertFalse(summary.get("complete").asBoolean());
        assertFalse(run.get("complete").asBoolean());
        assertFalse(run.get("finished_utc").isNull());
        assertEquals(100, summary.get("connections").asLong());
        assertEquals(new Synthetic.Expected(100).outcomes.get(io.conlimit.fleet.Outcome.OK),
                summary.get("outcomes").get("ok").asLong());
        List<String> csv = Files.readAllLines(folder.resolve(ResultsLayout.CONNECTIONS_CSV));
        assertEquals(101, csv.size());
    }
}
