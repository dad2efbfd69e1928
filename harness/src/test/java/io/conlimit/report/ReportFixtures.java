package io.conlimit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.cli.Main;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real small runs against embedded targets on loopback, made through the CLI as a user would (so report.html is the
 * one {@code run}, {@code sweep} and {@code find-limit} write at their end), and the page's embedded data read back.
 */
final class ReportFixtures {
    /**
     * A burst of 12 at blocking-pool W=1 B=2 holding for ever: W + B + 1 = 4 get in (1 served, 3 waiting in the queue),
     * the 8 others are dropped, retransmit their SYN at 1 s into the still-full queue and time out at 1.5 s.
     */
    static final String BURST = """
            name: small-burst
            target:
              embedded: {kind: blocking-pool, workers: 1, backlog: 2, hold: forever}
            client:
              probe: banner
              connect-timeout: 1500ms
              response-timeout: 1s
              hold: until-end
            load:
              - burst: 12
            """;

    /** A hold probe at blocking-pool W=1 B=2: W + B + 1 = 4 held, then two connect timeouts (400 ms, before any retransmit). */
    static final String HOLD = """
            name: small-hold
            target:
              embedded: {kind: blocking-pool, workers: 1, backlog: 2, hold: forever}
            client:
              probe: banner
              connect-timeout: 400ms
              hold: until-end
            load:
              - hold: {gap: 5ms, max-held: 50, stop-after: 2}
            expect:
              - limit.measured == limit.predicted
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReportFixtures() {
    }

    static Path scenario(Path dir, String name, String yaml) throws IOException {
        Path f = dir.resolve(name + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** conlimit ARGS, which must exit 0. */
    static void conlimit(String... args) {
        int code = Main.execute(args);
        assertEquals(0, code, "conlimit " + String.join(" ", args));
    }

    /** A run of {@code yaml} into {@code out} (its report.html written by the run itself). */
    static Path run(Path dir, String yaml, String out, String... more) throws IOException {
        Path file = scenario(dir, out + "-scenario", yaml);
        Path folder = dir.resolve(out);
        String[] args = new String[4 + more.length];
        args[0] = "run";
        args[1] = file.toString();
        args[2] = "--out";
        args[3] = folder.toString();
        System.arraycopy(more, 0, args, 4, more.length);
        conlimit(args);
        assertTrue(Files.exists(folder.resolve(ReportWriter.FILE)), "run wrote " + folder.resolve(ReportWriter.FILE));
        return folder;
    }

    /** The JSON a page embeds (the text of its script element conlimit-data). */
    static JsonNode pageData(Path page) throws IOException {
        String html = Files.readString(page, StandardCharsets.UTF_8);
        String open = "<script type=\"application/json\" id=\"conlimit-data\">";
        int from = html.indexOf(open);
        assertTrue(from >= 0, "the page embeds its data");
        int to = html.indexOf("</script>", from);
        return JSON.readTree(html.substring(from + open.length(), to));
    }

    static JsonNode json(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** Data lines of a CSV file without line breaks inside fields (timeline.csv, kernel-timeline.csv). */
    static long rows(Path csv) throws IOException {
        try (var lines = Files.lines(csv)) {
            return lines.skip(1).filter(l -> !l.isEmpty()).count();
        }
    }
}
