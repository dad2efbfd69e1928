package io.conlimit.record;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.fleet.ConnectionRecord;
import io.conlimit.fleet.Outcome;
import io.conlimit.kernel.Sysctls;
import io.conlimit.results.ResultsFolder;
import io.conlimit.results.ResultsLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The folder's files in the less common cases: the cap, gzip, no finish(), the environment, the folder name. */
class RecordingFilesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path root;

    @Test
    void capIsHonouredAndTheRestCounted() throws IOException {
        try (RunRecording rec = RunRecording.start(Synthetic.options(root, "cap", 1000, true,
                new ByteArrayOutputStream(), false), Duration.ofMillis(100))) {
            for (long id = 0; id < 3000; id++) {
                Synthetic.feed(rec, id);
            }
            RunSummary s = rec.finish(true, Map.of());
            assertEquals(1000, s.json().get("connections_csv_rows").asLong());
            assertEquals(2000, s.json().get("connections_csv_dropped").asLong());
            assertEquals(ResultsLayout.CONNECTIONS_CSV_GZ, s.json().get("connections_csv").asText());
            assertEquals(3000, s.json().get("connections").asLong(), "the summary counts every record");
            Path gz = rec.folder().resolve(ResultsLayout.CONNECTIONS_CSV_GZ);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
                List<String> lines = r.lines().toList();
                assertEquals(String.join(",", ResultsLayout.CONNECTION_COLUMNS), lines.get(0));
                assertEquals(1000, lines.size() - 1);
            }
            assertFalse(Files.exists(rec.folder().resolve(ResultsLayout.CONNECTIONS_CSV)));
        }
    }

    @Test
    void closeWithoutFinishLeavesAnIncompleteReadableFolder() throws IOException {
        Path folder;
        try (RunRecording rec = RunRecording.start(Synthetic.options(root, "crashed", 100, false,
                new ByteArrayOutputStream(), false), Duration.ofMillis(100))) {
            folder = rec.folder();
            for (long id = 0; id < 40; id++) {
                Synthetic.feed(rec, id);
            }
            rec.started(0, 1_000_000_000L, 1_000_000_000L); // still in flight when the run dies
            JsonNode during = MAPPER.readTree(folder.resolve(ResultsLayout.RUN_JSON).toFile());
            assertFalse(during.get("complete").asBoolean());
            assertFalse(Files.exists(folder.resolve(ResultsLayout.SUMMARY_JSON)));
        }
        JsonNode summary = MAPPER.readTree(folder.resolve(ResultsLayout.SUMMARY_JSON).toFile());
        JsonNode run = MAPPER.readTree(folder.resolve(ResultsLayout.RUN_JSON).toFile());
        assertFalse(summary.get("complete").asBoolean());
        assertFalse(run.get("complete").asBoolean());
        assertEquals(41, summary.get("connections").asLong());
        assertEquals(1, summary.get("in_flight_at_end").asLong());
        Synthetic.Expected exp = new Synthetic.Expected(40);
        for (Outcome o : Outcome.values()) {
            assertEquals(exp.outcomes.get(o), summary.get("outcomes").get(o.key()).asLong(), o.key());
        }
        ResultsFolder loaded = ResultsFolder.load(folder);
        assertFalse(loaded.complete());
        assertEquals(41, loaded.timeline().stream().mapToLong(r -> r.started()).sum());
        assertEquals(40, Files.readAllLines(folder.resolve(ResultsLayout.CONNECTIONS_CSV)).size() - 1);
    }

    @Test
    void runJsonRecordsInputsAndClientEnvironment() throws IOException {
        try (RunRecording rec = RunRecording.start(Synthetic.options(root, "env", 10, false,
                new ByteArrayOutputStream(), false), Duration.ofMillis(100))) {
            JsonNode run = MAPPER.readTree(rec.folder().resolve(ResultsLayout.RUN_JSON).toFile());
            assertFalse(run.get("complete").asBoolean());
            assertEquals("dev", run.get("conlimit_version").asText());
            assertTrue(run.get("started_utc").asText().endsWith("Z"));
            assertEquals(rec.epochNanos(), run.get("epoch").get("nano_time").asLong());
            assertTrue(run.get("epoch").get("unix_ms").asLong() > 0);
            assertEquals(20000, run.get("inputs").get("burst").asInt());
            assertEquals("PT0.25S", run.get("inputs").get("hold").asText());
            assertEquals(2, run.get("inputs").get("nested").get("k").get(1).asInt());

            JsonNode client = run.get("client");
            assertEquals(System.getProperty("os.version"), client.get("kernel").get("os_version").asText());
            assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim(),
                    client.get("kernel").get("osrelease").asText());
            for (String name : Sysctls.DECISIVE) {
                Path file = Path.of("/proc/sys/" + name.replace('.', '/'));
                // read independently: whole lines, whitespace collapsed (ip_local_port_range is "32768 60999")
                String want = Files.exists(file)
                        ? String.join(" ", Files.readAllLines(file)).trim().replaceAll("\\s+", " ") : "n/a";
                assertEquals(want, client.get("sysctls").get(name).asText(), name);
            }
            assertTrue(client.get("sysctls").get("net.core.somaxconn").asInt() >= 128,
                    "somaxconn read whole, not its first digit: " + client.get("sysctls"));
            long[] nofile = ClientEnvironment.openFileLimit(Path.of("/proc/self/limits"));
            assertTrue(nofile[0] > 0, "the soft open-file limit is readable here");
            assertEquals(nofile[0], client.get("open_files").get("soft").asLong());
            assertEquals(Runtime.version().toString(), client.get("jvm").get("version").asText());
            assertEquals(Runtime.getRuntime().maxMemory(), client.get("jvm").get("max_heap_bytes").asLong());
            assertFalse(client.get("jvm").get("vendor").asText().isEmpty());
            assertFalse(client.get("hostname").asText().isEmpty());
        }
    }

    @Test
    void openFileLimitParsesProcLimits() throws IOException {
        Path limits = root.resolve("limits");
        Files.writeString(limits, """
                Limit                     Soft Limit           Hard Limit           Units
                Max processes             unlimited            unlimited            processes
                Max open files            1024                 unlimited            files
                """);
        long[] v = ClientEnvironment.openFileLimit(limits);
        assertEquals(1024, v[0]);
        assertEquals(Long.MAX_VALUE, v[1]);
        assertEquals(-1, ClientEnvironment.openFileLimit(root.resolve("absent"))[0]);
    }

    @Test
    void outDirIsUsedAndNeverOverwritesARun() throws IOException {
        Path out = root.resolve("explicit");
        RecordingOptions o = new RecordingOptions(root, out, "x", Map.of(), new PrintStream(new ByteArrayOutputStream()),
                false, 10, false, 1_000_000);
        try (RunRecording rec = RunRecording.start(o, Duration.ofMillis(100))) {
            assertEquals(out, rec.folder());
        }
        IOException e = assertThrows(IOException.class, () -> RunRecording.start(o, Duration.ofMillis(100)));
        assertTrue(e.getMessage().contains("--out"), e.getMessage());
    }

    @Test
    void burstConnectsAreNeverLateStartsButPacedOnesAre() throws IOException {
        RecordingOptions o = new RecordingOptions(root, root.resolve("late"), "late", Map.of(),
                new PrintStream(new ByteArrayOutputStream()), false, 10, false, 1_000_000, java.util.Set.of(0));
        try (RunRecording rec = RunRecording.start(o, Duration.ofMillis(100))) {
            rec.started(0, 0, 5_000_000); // burst phase: 5 ms after the release, measured by the launch spread
            rec.started(1, 0, 5_000_000); // paced phase: 5 ms behind its intended start
            rec.started(1, 0, 500_000);   // paced, within the 1 ms threshold
            RunSummary s = rec.finish(true, Map.of());
            assertEquals(1, s.json().get("late_starts").asLong());
            assertEquals(3, s.json().get("connections").asLong());
        }
    }

    private static io.conlimit.fleet.ConnectionRecord decided(long id, long connected, io.conlimit.fleet.Outcome o, int syn) {
        return new io.conlimit.fleet.ConnectionRecord(id, 0, 0, 0, connected, -1, 5_000_000, -1, o, syn, "", "open", "");
    }

    @Test
    void admittedAtOnceCountsConnectionsThatNeededNoSynRetransmitAndIsNullWhenUnknowable() throws IOException {
        RecordingOptions o = new RecordingOptions(root, root.resolve("admitted"), "admitted", Map.of(),
                new PrintStream(new ByteArrayOutputStream()), false, 10, false, 1_000_000);
        try (RunRecording rec = RunRecording.start(o, Duration.ofMillis(100))) {
            rec.decided(decided(0, 1_000_000, io.conlimit.fleet.Outcome.OK, 0));
            rec.decided(decided(1, 1_000_000, io.conlimit.fleet.Outcome.OK, 0));
            rec.decided(decided(2, 1_001_000_000, io.conlimit.fleet.Outcome.OK, 1));          // in after one retransmit
            rec.decided(decided(3, -1, io.conlimit.fleet.Outcome.CONNECT_TIMEOUT, 0));        // never connected
            rec.decided(decided(4, -1, io.conlimit.fleet.Outcome.CLIENT_LIMITED, -1));        // no socket at all
            assertEquals(2, rec.finish(true, Map.of()).json().get("admitted_at_once").asLong());
        }
        RecordingOptions nio = new RecordingOptions(root, root.resolve("admitted-nio"), "nio", Map.of(),
                new PrintStream(new ByteArrayOutputStream()), false, 10, false, 1_000_000);
        try (RunRecording rec = RunRecording.start(nio, Duration.ofMillis(100))) {
            rec.decided(decided(0, 1_000_000, io.conlimit.fleet.Outcome.OK, -1));             // NIO: no TCP_INFO
            assertTrue(rec.finish(true, Map.of()).json().get("admitted_at_once").isNull());
        }
    }

    @Test
    void folderNamesAreSanitisedAndUnique() throws IOException {
        assertEquals("my-run-..-x", RunFolder.sanitize("my run/../x"));
        assertEquals("run", RunFolder.sanitize("///"));
        assertEquals("a_b.c-d", RunFolder.sanitize("a_b.c-d"));
        java.time.Instant now = java.time.Instant.parse("2026-01-02T03:04:05Z");
        Path a = RunFolder.create(root, null, "same", now);
        Path b = RunFolder.create(root, null, "same", now);
        assertEquals("20260102T030405Z-same", a.getFileName().toString());
        assertEquals("20260102T030405Z-same-2", b.getFileName().toString());
    }

    @Test
    void extrasMayNotReplaceContractKeys() throws IOException {
        try (RunRecording rec = RunRecording.start(Synthetic.options(root, "clash", 10, false,
                new ByteArrayOutputStream(), false), Duration.ofMillis(100))) {
            assertThrows(IllegalArgumentException.class, () -> rec.finish(true, Map.of("outcomes", 1)));
            assertTrue(rec.finish(true, Map.of("held_max", 3)).json().get("complete").asBoolean());
        }
    }

    @Test
    void connectionsCsvIsUtf8AndQuotesWhatNeedsIt() throws IOException {
        try (RunRecording rec = RunRecording.start(Synthetic.options(root, "utf8", 100, false,
                new ByteArrayOutputStream(), false), Duration.ofMillis(100))) {
            String[] details = {"plain", "Verbindung abgelehnt (errno 111) \u2014 r\u00e9essayer", "a, \"quoted\" one", "", "x".repeat(300)};
            for (int i = 0; i < details.length; i++) {
                ConnectionRecord r = new ConnectionRecord(i, 0, 1_000_000, 1_500_000, -1, -1, 2_000_000, 2_000_000,
                        Outcome.ERROR, 0, "127.0.0.1:40000", "none", details[i]);
                rec.started(0, r.intendedNanos(), r.connectCallNanos());
                rec.decided(r);
                rec.closed(r);
            }
            rec.finish(true, Map.of());
            List<String> lines = Files.readAllLines(rec.folder().resolve(ResultsLayout.CONNECTIONS_CSV), StandardCharsets.UTF_8);
            assertEquals(6, lines.size());
            assertEquals("0,0,1.000,1.500,,,2.000,2.000,error,0,127.0.0.1:40000,none,plain", lines.get(1));
            assertTrue(lines.get(2).endsWith(",none,Verbindung abgelehnt (errno 111) \u2014 r\u00e9essayer"), lines.get(2));
            assertTrue(lines.get(3).endsWith(",none,\"a, \"\"quoted\"\" one\""), lines.get(3));
            assertTrue(lines.get(4).endsWith(",none,"), lines.get(4));
            assertTrue(lines.get(5).endsWith(",none," + "x".repeat(300)), "a line longer than the buffer");
        }
    }

    @Test
    void csvFormatting() {
        StringBuilder sb = new StringBuilder();
        CsvFormat.appendMs(sb, -1);
        assertEquals("", sb.toString());
        CsvFormat.appendMs(sb, 1_234_567);
        sb.append('|');
        CsvFormat.appendMs(sb, 0);
        sb.append('|');
        CsvFormat.appendMs(sb, 131_000_000_000L);
        sb.append('|');
        CsvFormat.appendField(sb, "a,b");
        sb.append('|');
        CsvFormat.appendField(sb, "plain");
        assertEquals("1.234|0.000|131000.000|\"a,b\"|plain", sb.toString());
    }
}
