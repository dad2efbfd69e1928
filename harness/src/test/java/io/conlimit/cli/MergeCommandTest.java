package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.run.EmbeddedTargetStarter;
import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import io.conlimit.target.TargetServer;
import io.conlimit.target.TargetServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two shards of one scenario run at the same instant against one blocking-pool W=1 B=2 (holding for ever) on loopback,
 * then conlimit merge: the merged folder holds W + B + 1 = 4 as one client would, sums what the shards counted (not the
 * socket censuses: both shards share this JVM's network namespace, so each census saw both), checks
 * the scenario's expectations, and report and compare read it. Mismatched folders are exit 2 with a plain sentence.
 */
class MergeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String scenario(int port, String expect) {
        return """
                name: fleet-small
                target:
                  host: 127.0.0.1
                  port: %d
                client:
                  connect-timeout: 400ms
                  hold: until-end
                load:
                  - hold: {gap: 5ms, max-held: 50, stop-after: 2}
                expect:
                  - %s
                  - outcomes.refused == 0
                """.formatted(port, expect);
    }

    private static TargetServer server() throws Exception {
        return TargetServers.start(ServerConfig.builder(ServerKind.BLOCKING_POOL).bind("127.0.0.1").port(0).workers(1)
                .backlog(BacklogRequest.of(2)).hold(new HoldSpec.Forever()).build());
    }

    private record Ran(int code, String out, String err) {
    }

    private static Ran run(String... args) {
        Capture o = new Capture();
        Capture e = new Capture();
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs(args);
        return new Ran(cmd.call(EmbeddedTargetStarter.standard(), o.stream, e.stream), o.text(), e.text());
    }

    private static Ran merge(String... args) {
        Capture o = new Capture();
        Capture e = new Capture();
        MergeCommand cmd = new MergeCommand();
        new CommandLine(cmd).parseArgs(args);
        return new Ran(cmd.call(o.stream, e.stream), o.text(), e.text());
    }

    /** Runs N shards at once (a start instant 10 s ahead: each JVM warms up its connect path first), returns their folders. */
    private List<Path> shards(Path file, int n, String tag) throws Exception {
        String at = Instant.now().plusSeconds(10).truncatedTo(ChronoUnit.MILLIS).toString();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Ran>> runs = new ArrayList<>();
            List<Path> dirs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Path d = tmp.resolve(tag + i);
                dirs.add(d);
                String shard = i + "/" + n;
                runs.add(pool.submit(() -> run(file.toString(), "--shard", shard, "--start-at", at, "--out", d.toString(),
                        "--no-report", "--event-loops", "1")));
            }
            for (Future<Ran> f : runs) {
                Ran r = f.get(60, TimeUnit.SECONDS);
                assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
                assertTrue(r.out().contains("conlimit merge checks them"), r.out());
                assertTrue(r.out().contains(": waiting for the start instant " + at + " (in "), r.out()); // before the idle progress lines
            }
            return dirs;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void twoShardsMergeIntoOneRunThatHoldsWPlusBPlusOne() throws Exception {
        try (TargetServer server = server()) {
            Path file = tmp.resolve("fleet.yaml");
            Files.writeString(file, scenario(server.address().getPort(), "held_max == 4"));
            List<Path> dirs = shards(file, 2, "s");
            JsonNode s0 = JSON.readTree(dirs.get(0).resolve("summary.json").toFile());
            JsonNode s1 = JSON.readTree(dirs.get(1).resolve("summary.json").toFile());
            assertEquals(50, s0.path("shard").path("whole_phases").path(0).path("max_held").asInt(), "the whole load is recorded");
            assertEquals(0, s0.path("shard").path("index").asInt());
            assertEquals(2, s1.path("shard").path("count").asInt());
            assertTrue(JSON.readTree(dirs.get(1).resolve("run.json").toFile()).path("inputs").path("flags").toString().contains("--shard"));

            Path merged = tmp.resolve("merged");
            Ran m = merge(dirs.get(1).toString(), dirs.get(0).toString(), "--out", merged.toString(), "--no-report");
            assertEquals(ExitCodes.OK, m.code(), m.out() + m.err());
            assertTrue(m.out().contains("PASSED held_max == 4: measured 4"), m.out());
            JsonNode s = JSON.readTree(merged.resolve("summary.json").toFile());
            // what one client measures against W=1 B=2: W + B + 1 = 4 held, the server's table agreeing
            assertEquals(4, s.path("held_max").asInt());
            // both shards ran in this JVM's namespace: each census saw the other's connections, so they are not added up
            assertFalse(s.path("server_sockets").path("taken").asBoolean(), s.path("server_sockets").toString());
            assertTrue(s.path("server_sockets").path("reason").asText().contains("ran in one network namespace"));
            for (JsonNode d : s.path("fleet").path("shard_runs")) {
                // together enough for the hold probes to overlap (tolerance 500 ms: two JVMs on a busy 2-core machine);
                // and a release more than the late threshold (1 ms) after the instant is said to be late
                double after = d.path("release_after_start_ms").asDouble();
                assertTrue(after >= 0 && after < 500, "a shard started late (the machine is busy?): " + d);
                if (after > 1.0) {
                    assertTrue(d.path("late").asBoolean(), d.toString());
                }
            }
            long connections = s0.path("connections").asLong() + s1.path("connections").asLong();
            assertEquals(connections, s.path("connections").asLong());
            for (String o : List.of("ok", "connected-unserved", "connect-timeout", "connected")) {
                assertEquals(s0.path("outcomes").path(o).asLong() + s1.path("outcomes").path(o).asLong(),
                        s.path("outcomes").path(o).asLong(), o);
            }
            assertEquals(s0.path("connect_ms").path("count").asLong() + s1.path("connect_ms").path("count").asLong(),
                    s.path("connect_ms").path("count").asLong(), "the merged histogram holds every shard's values");
            assertEquals(s.path("connect_ms").path("count").asLong(), s.path("phases").path(0).path("connect_ms").path("count").asLong());
            List<String> lines = Files.readAllLines(merged.resolve("connections.csv"));
            assertTrue(lines.get(0).endsWith(",shard"), lines.get(0));
            assertEquals(connections, lines.size() - 1);
            assertEquals(s0.path("connections").asLong(), lines.stream().skip(1).filter(l -> l.endsWith(",0")).count());
            assertTrue(s.path("fleet").path("launch_spread_ms").isNumber(), s.path("fleet").toString());
            assertEquals(2, s.path("fleet").path("shards").asInt());
            assertTrue(s.path("fleet").path("not_together").isNull(), s.path("fleet").toString());
            assertEquals("held_max", s.path("limit").path("quantity").asText(), "the prediction is made for the whole load");
            assertTrue(s.path("expectations").size() == 2);
            assertTrue(Files.exists(merged.resolve("kernel-timeline.csv")));

            // every key of a shard's and of the merged summary is one SummaryShape knows (validate accepts expectations on them)
            io.conlimit.expect.SummaryShape shape = io.conlimit.expect.SummaryShape.of(List.of(
                    new io.conlimit.plan.LoadPhase.HoldProbe(java.time.Duration.ofMillis(5), 50, 2)));
            for (JsonNode sum : List.of(s, s0)) {
                List<String> unknown = new ArrayList<>();
                walk(sum, new ArrayList<>(), shape, unknown);
                assertEquals(List.of(), unknown, "keys SummaryShape does not know");
            }
            assertTrue(shape.problem(io.conlimit.expect.MetricPath.of("fleet.launch_spread_ms")).isEmpty());

            // report and compare read the merged folder as a single run's
            assertEquals(0, Main.commandLine().execute("report", merged.toString()));
            assertTrue(Files.exists(merged.resolve("report.html")));
            assertEquals(0, Main.commandLine().execute("compare", merged.toString(), dirs.get(0).toString(),
                    "--expect", "a.held_max == 4"));
        }
    }

    private static void walk(JsonNode n, List<String> at, io.conlimit.expect.SummaryShape shape, List<String> unknown) {
        if (!n.isObject()) {
            return;
        }
        for (java.util.Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (at.isEmpty() && java.util.Set.of("expectations", "warnings").contains(k)) {
                continue;
            }
            List<String> path = new ArrayList<>(at);
            path.add(k);
            if (!shape.knows(path)) {
                unknown.add(String.join(".", path));
            } else {
                walk(n.get(k), path, shape, unknown);
            }
        }
    }

    @Test
    void aFailingExpectationOfTheWholeLoadFailsTheMerge() throws Exception {
        try (TargetServer server = server()) {
            Path file = tmp.resolve("fleet.yaml");
            Files.writeString(file, scenario(server.address().getPort(), "held_max == 5"));
            List<Path> dirs = shards(file, 2, "f");
            Ran m = merge(dirs.get(0).toString(), dirs.get(1).toString(), "--out", tmp.resolve("m").toString(), "--no-report");
            assertEquals(ExitCodes.EXPECTATION_FAILED, m.code(), m.out() + m.err());
            assertTrue(m.out().contains("FAILED held_max == 5: measured 4"), m.out());

            // mismatched shards: plain sentences, exit 2, nothing written
            Ran missing = merge(dirs.get(0).toString(), "--out", tmp.resolve("m1").toString());
            assertEquals(ExitCodes.USAGE, missing.code());
            assertTrue(missing.err().contains("shard [1] of 2 missing"), missing.err());
            Ran twice = merge(dirs.get(0).toString(), dirs.get(0).toString(), "--out", tmp.resolve("m2").toString());
            assertEquals(ExitCodes.USAGE, twice.code());
            assertTrue(twice.err().contains("are both shard 0 of 2"), twice.err());
            Ran notShard = merge(tmp.toString(), "--out", tmp.resolve("m3").toString());
            assertEquals(ExitCodes.USAGE, notShard.code());
            assertTrue(notShard.err().contains("no run.json"), notShard.err());
            Ran exists = merge(dirs.get(0).toString(), dirs.get(1).toString(), "--out", tmp.resolve("m").toString());
            assertEquals(ExitCodes.USAGE, exists.code());
            assertTrue(exists.err().contains("not an empty folder"), exists.err());
            Ran otherN = merge(dirs.get(0).toString(), edited(dirs.get(1), "n3", "\"count\" : 2", "\"count\" : 3").toString(),
                    "--out", tmp.resolve("m4").toString());
            assertEquals(ExitCodes.USAGE, otherN.code());
            assertTrue(otherN.err().contains("is shard 1 of 3 but") && otherN.err().contains("not the same fleet"), otherN.err());
            Ran otherScenario = merge(dirs.get(0).toString(), edited(dirs.get(1), "other", "\"name\" : \"fleet-small\"",
                    "\"name\" : \"other\"").toString(), "--out", tmp.resolve("m5").toString());
            assertEquals(ExitCodes.USAGE, otherScenario.code());
            assertTrue(otherScenario.err().contains("not the same scenario"), otherScenario.err());
            for (Ran r : List.of(missing, twice, notShard, exists, otherN, otherScenario)) {
                assertFalse(r.err().contains("Exception"), r.err());
            }
            try (Stream<Path> l = Files.list(tmp)) {
                assertFalse(l.anyMatch(p -> p.getFileName().toString().startsWith("m1")), "nothing written for a refused merge");
            }
        }
    }

    /** A copy of a shard folder whose summary.json has {@code from} replaced by {@code to}. */
    private Path edited(Path shard, String tag, String from, String to) throws IOException {
        Path copy = tmp.resolve("edited-" + tag);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(shard)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        String summary = Files.readString(copy.resolve("summary.json"));
        assertTrue(summary.contains(from), from);
        Files.writeString(copy.resolve("summary.json"), summary.replace(from, to));
        return copy;
    }

    /** An instant already past: said before the load, in hours, and the shard is late (it still runs, as a restarted pod would). */
    @Test
    void aStartInstantThatHasPassedIsSaidBeforeTheLoad() throws Exception {
        try (TargetServer server = server()) {
            String past = Instant.now().minus(java.time.Duration.ofMinutes(61)).truncatedTo(ChronoUnit.SECONDS).toString();
            Ran r = run("--target", "127.0.0.1:" + server.address().getPort(), "--burst", "2", "--start-at", past,
                    "--out", tmp.resolve("past").toString(), "--no-report");
            assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
            assertTrue(r.err().contains("shard 0/1: the start instant " + past + " passed 1 h 01 min ago: this shard starts at once, recorded as late"), r.err());
            assertTrue(r.err().contains("LATE: the start instant had passed 1 h 01 min before this shard was ready"), r.err());
        }
    }

    @Test
    void aShardOfAnEmbeddedTargetOrTooSmallABurstIsExitTwo() {
        Ran embedded = run("--burst", "10", "--shard", "0/2", "--out", tmp.resolve("e").toString());
        assertEquals(ExitCodes.USAGE, embedded.code());
        assertTrue(embedded.err().contains("the shards load one server together"), embedded.err());
        Ran small = run("--target", "127.0.0.1:9", "--burst", "3", "--shard", "0/4", "--out", tmp.resolve("b").toString());
        assertEquals(ExitCodes.USAGE, small.code());
        assertTrue(small.err().contains("a burst of 3 cannot be split into 4 shards"), small.err());
        Ran bad = run("--target", "127.0.0.1:9", "--burst", "8", "--shard", "4/4");
        assertEquals(ExitCodes.USAGE, bad.code());
        assertTrue(bad.err().contains("0..3"), bad.err());
        Ran at = run("--target", "127.0.0.1:9", "--burst", "8", "--start-at", "tomorrow");
        assertEquals(ExitCodes.USAGE, at.code());
        assertTrue(at.err().contains("ISO-8601"), at.err());
    }
}
