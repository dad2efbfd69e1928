package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.run.EmbeddedTargetStarter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * run FILE, sweep and find-limit against real embedded servers on loopback. The scenario is small on purpose:
 * blocking-pool W=1 B=2 holding for ever, so W + B + 1 = 4 connections get in and the rest are dropped; a
 * 400 ms connect timeout (before the first SYN retransmit at 1 s) and stop-after 2 keep each run near a second.
 */
class ScenarioCommandsTest {
    static final String SMALL = """
            name: small
            target:
              embedded: {kind: blocking-pool, workers: 1, backlog: 2, hold: forever}
            client:
              connect-timeout: 400ms
              hold: until-end
            load:
              - hold: {gap: 5ms, max-held: 50, stop-after: 2}
            expect:
              - held_max == 4
              - limit.measured == limit.predicted
              - outcomes.refused == 0
            """;

    @TempDir
    Path tmp;
    Path file;
    final Capture out = new Capture();
    final Capture err = new Capture();

    @BeforeEach
    void write() throws IOException {
        file = tmp.resolve("small.yaml");
        Files.writeString(file, SMALL);
    }

    private int run(String... args) {
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.call(EmbeddedTargetStarter.standard(), out.stream, err.stream);
    }

    private static JsonNode json(Path p) throws IOException {
        return new ObjectMapper().readTree(p.toFile());
    }

    @Test
    void aScenarioWhoseExpectationsHoldExitsZeroAndRecordsThem() throws IOException {
        Path o = tmp.resolve("pass");
        assertEquals(ExitCodes.OK, run(file.toString(), "--out", o.toString()), out.text() + err.text());
        assertTrue(out.text().contains("PASSED held_max == 4: measured 4"), out.text());
        assertTrue(out.text().contains("W + B + 1 = 4"), out.text());
        JsonNode s = json(o.resolve("summary.json"));
        assertEquals(4, s.path("limit").path("measured").asInt());
        assertEquals(4, s.path("limit").path("predicted").asInt());
        assertEquals("backlog", s.path("limit").path("binding").asText());
        assertEquals(2, s.path("prediction").path("model").path("backlog_effective").asInt(), "B measured by the kernel");
        assertEquals(3, s.path("expectations").size());
        assertTrue(s.path("expectations").get(0).path("passed").asBoolean());
        assertTrue(s.path("prediction").path("client_syn_schedule").path("retransmit_at_s").isArray());
    }

    @Test
    void aFailingExpectationExitsOneWithTheMeasuredValue() throws IOException {
        Path o = tmp.resolve("fail");
        int code = run(file.toString(), "--set", "expect[0]=held_max == 5", "--out", o.toString());
        assertEquals(ExitCodes.EXPECTATION_FAILED, code, out.text() + err.text());
        assertTrue(out.text().contains("FAILED held_max == 5: measured 4"), out.text());
        assertTrue(out.text().contains("expectations: 2 passed, 1 failed"), out.text());
        assertFalse(json(o.resolve("summary.json")).path("expectations").get(0).path("passed").asBoolean());
    }

    @Test
    void anInvalidFileIsExitTwoWithEveryErrorAndNothingRuns() throws IOException {
        Files.writeString(file, SMALL.replace("workers: 1", "wokers: 1").replace("connect-timeout: 400ms", "connect-timeout: soon"));
        Path o = tmp.resolve("invalid");
        assertEquals(ExitCodes.USAGE, run(file.toString(), "--out", o.toString()));
        assertTrue(err.text().contains("unknown key 'wokers'; did you mean 'workers'?"), err.text());
        assertTrue(err.text().contains("'soon' is not a duration"), err.text());
        assertTrue(err.text().contains("invalid (2 errors); nothing was run"), err.text());
        assertFalse(Files.exists(o), "nothing ran");
    }

    @Test
    void aLabScenarioWithKernelEvidenceFlagsIsExitTwo() {
        assertEquals(ExitCodes.USAGE, run("../scenarios/somaxconn-clamp.yaml", "--agent", "127.0.0.1:7070",
                "--out", tmp.resolve("lab").toString()));
        assertTrue(err.text().contains("do not apply to a lab scenario"), err.text());
    }

    @Test
    void targetReplacesTheScenariosTargetAndBIsThenUnknownWithoutKernelEvidence() throws Exception {
        io.conlimit.target.ServerConfig config = io.conlimit.target.ServerConfig.builder(io.conlimit.target.ServerKind.BLOCKING_POOL)
                .bind("127.0.0.1").port(0).workers(2).backlog(io.conlimit.target.BacklogRequest.of(2))
                .hold(new io.conlimit.target.HoldSpec.Forever()).build();
        try (io.conlimit.target.TargetServer server = io.conlimit.target.TargetServers.start(config)) {
            Path o = tmp.resolve("external");
            int code = run(file.toString(), "--target", "127.0.0.1:" + server.address().getPort(), "--out", o.toString(),
                    "--no-kernel-evidence");
            // the external server holds W + B + 1 = 5, not the scenario's 4; limit.predicted is null (W and B unknown)
            assertEquals(ExitCodes.EXPECTATION_FAILED, code, out.text() + err.text());
            assertTrue(out.text().contains("FAILED held_max == 4: measured 5"), out.text());
            assertTrue(out.text().contains("B is unknown for an external server"), out.text());
            JsonNode s = json(o.resolve("summary.json"));
            assertTrue(s.path("limit").path("predicted").isNull());
            assertTrue(s.path("prediction").path("model").path("backlog_effective").isNull());
        }
    }

    @Test
    void withKernelEvidenceAnExternalServersBComesFromTheKernelAndWIsInferred() throws Exception {
        io.conlimit.target.ServerConfig config = io.conlimit.target.ServerConfig.builder(io.conlimit.target.ServerKind.BLOCKING_POOL)
                .bind("127.0.0.1").port(0).workers(2).backlog(io.conlimit.target.BacklogRequest.of(2))
                .hold(new io.conlimit.target.HoldSpec.Forever()).build();
        try (io.conlimit.target.TargetServer server = io.conlimit.target.TargetServers.start(config)) {
            Path o = tmp.resolve("external-evidence");
            run(file.toString(), "--target", "127.0.0.1:" + server.address().getPort(), "--out", o.toString());
            JsonNode s = json(o.resolve("summary.json"));
            assertEquals(5, s.path("held_max").asInt(), out.text());
            // B = 2 read from the listener's Send-Q; W is unknown, inferred as measured - B - 1 = 2 and said so
            assertEquals(2, s.path("kernel").path("backlog_seen").asInt(), out.text());
            assertEquals(2, s.path("prediction").path("model").path("backlog_effective").asInt(), out.text());
            assertEquals(2, s.path("prediction").path("model").path("workers_inferred").asInt(), out.text());
        }
    }

    @Test
    void loadFlagsWithAFileAreAUsageError() {
        assertEquals(ExitCodes.USAGE, run(file.toString(), "--burst", "10"));
        assertTrue(err.text().contains("--burst: with a scenario FILE"), err.text());
        assertEquals(ExitCodes.USAGE, run("--set", "server.workers=2", "--burst", "3"));
        assertTrue(err.text().contains("--set changes a scenario file"), err.text());
    }

    @Test
    void aPlainFlagRunPrintsThePrediction() throws IOException {
        Path o = tmp.resolve("flags");
        assertEquals(ExitCodes.OK, run("--burst", "5", "--connect-timeout", "400ms", "--out", o.toString()), out.text() + err.text());
        assertTrue(out.text().contains("prediction (blocking-pool W=2 B=8"), out.text());
        assertTrue(out.text().contains("No binding limit: the burst of 5 fits in B + 1 = 9"), out.text());
        JsonNode s = json(o.resolve("summary.json"));
        assertEquals("admitted_at_once", s.path("limit").path("quantity").asText());
        assertEquals(5, s.path("limit").path("predicted").asInt());
        assertEquals(5, s.path("limit").path("measured").asInt());
        assertEquals(0, s.path("expectations").size());
    }

    @Test
    void aSweepOfTwoCellsRunsAFreshServerPerCellAndWritesTheTable() throws IOException {
        SweepCommand cmd = new SweepCommand();
        Path o = tmp.resolve("sweep");
        new CommandLine(cmd).parseArgs(file.toString(), "--vary", "server.backlog=2,3", "--set", "expect=[limit.measured == limit.predicted]",
                "--out", o.toString());
        int code = cmd.call(EmbeddedTargetStarter.standard(), List::of, out.stream, err.stream);
        assertEquals(ExitCodes.OK, code, out.text() + err.text());
        List<String> csv = Files.readAllLines(o.resolve("sweep.csv"));
        assertEquals(3, csv.size(), csv.toString());
        assertTrue(csv.get(1).startsWith("backlog=2,backlog,held_max,4,4,1,"), csv.get(1)); // ok: the 1 worker served 1
        assertTrue(csv.get(2).startsWith("backlog=3,backlog,held_max,5,5,1,"), csv.get(2));
        JsonNode j = json(o.resolve("sweep.json"));
        assertEquals(2, j.path("cells").size());
        assertEquals(5, j.path("cells").get(1).path("limit").path("measured").asInt());
        assertTrue(Files.exists(o.resolve(j.path("cells").get(0).path("folder").asText()).resolve("summary.json")));
        assertTrue(out.text().contains("sweep of 2 cells"), out.text());
    }

    @Test
    void aSweepCellWhoseExpectationFailsExitsOne() {
        SweepCommand cmd = new SweepCommand();
        new CommandLine(cmd).parseArgs(file.toString(), "--vary", "server.backlog=2,3", "--out", tmp.resolve("sweep1").toString());
        // held_max == 4 holds for backlog 2 only
        assertEquals(ExitCodes.EXPECTATION_FAILED, cmd.call(EmbeddedTargetStarter.standard(), List::of, out.stream, err.stream));
    }

    @Test
    void findLimitForHoldFindsWPlusBPlusOne() throws IOException {
        FindLimitCommand cmd = new FindLimitCommand();
        Path o = tmp.resolve("fl");
        new CommandLine(cmd).parseArgs(file.toString(), "--for", "hold", "--out", o.toString());
        int code = cmd.call(EmbeddedTargetStarter.standard(), List::of, out.stream, err.stream);
        assertEquals(ExitCodes.OK, code, out.text() + err.text());
        assertTrue(out.text().contains("concurrent limit (held_max): 4"), out.text());
        JsonNode j = json(o.resolve("find-limit.json"));
        assertEquals(4, j.path("knee").asInt());
        assertEquals(1, j.path("runs").size());
    }

    @Test
    void findLimitRefusesAScenarioWithoutSuchAPhase() {
        FindLimitCommand cmd = new FindLimitCommand();
        new CommandLine(cmd).parseArgs(file.toString(), "--for", "burst", "--out", tmp.resolve("fl2").toString());
        assertEquals(ExitCodes.USAGE, cmd.call(EmbeddedTargetStarter.standard(), List::of, out.stream, err.stream));
        assertTrue(err.text().contains("has no burst phase to vary"), err.text());
    }
}
