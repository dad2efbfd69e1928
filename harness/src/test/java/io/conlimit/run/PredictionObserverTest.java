package io.conlimit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.kernel.SynRetrySchedule;
import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictionObserverTest {
    static final RunPlan EXTERNAL_PROBE = new RunPlan("x", new TargetSpec.External("127.0.0.1", 9, null, null), ClientOptions.defaults(),
            List.of(new LoadPhase.HoldProbe(Duration.ofMillis(10), 100, 3)));

    private static ObservedRun ctx(RunPlan plan) {
        PrintStream p = new PrintStream(new ByteArrayOutputStream());
        return new ObservedRun(plan, null, null, 0, Path.of("."), p, p);
    }

    private static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void anExternalServersBacklogComesFromTheKernelSection() throws Exception {
        PredictionObserver.Model m = PredictionObserver.model(json(
                "{\"kernel\": {\"backlog_seen\": 8, \"server_settings\": {\"sysctls\": {\"net.core.somaxconn\": \"4096\"}}}}"),
                ctx(EXTERNAL_PROBE));
        assertEquals(8, m.model().effectiveBacklog());
        assertEquals(4096, m.model().somaxconn());
        assertTrue(m.backlogSource().contains("kernel.backlog_seen"), m.backlogSource());
    }

    @Test
    void withoutKernelEvidenceAnExternalBacklogIsUnknownAndSaidSo() throws Exception {
        PredictionObserver.Model m = PredictionObserver.model(json("{\"held_max\": 11}"), ctx(EXTERNAL_PROBE));
        assertEquals(-1, m.model().effectiveBacklog());
        assertTrue(m.backlogSource().contains("B is unknown"), m.backlogSource());
    }

    @Test
    void anExternalRunIsAnnotatedWithWInferredFromTheMeasurement() throws Exception {
        var summary = (com.fasterxml.jackson.databind.node.ObjectNode) json(
                "{\"held_max\": 11, \"outcomes\": {\"ok\": 11}, \"kernel\": {\"backlog_seen\": 8}}");
        PredictionObserver o = new PredictionObserver(SynRetrySchedule.compute(6, 4, 120_000), 20_000);
        o.annotate(summary, ctx(EXTERNAL_PROBE));
        assertEquals(11, summary.path("limit").path("measured").asInt());
        assertEquals(2, summary.path("prediction").path("model").path("workers_inferred").asInt(), summary.toString());
        assertEquals(1.0, summary.path("prediction").path("client_syn_schedule").path("retransmit_at_s").get(0).asDouble());
        assertTrue(o.comparison().isPresent());
    }

    @Test
    void aBurstWhoseRetriesGotInBeyondWhatTheServerCouldQueueGetsANote() throws Exception {
        io.conlimit.target.ServerConfig config = io.conlimit.target.ServerConfig.builder(io.conlimit.target.ServerKind.BLOCKING_POOL)
                .workers(4).backlog(io.conlimit.target.BacklogRequest.of(16)).hold(new io.conlimit.target.HoldSpec.Forever()).build();
        RunPlan plan = new RunPlan("b", new TargetSpec.Embedded(config), ClientOptions.defaults(), List.of(new LoadPhase.Burst(100)));
        var p = io.conlimit.theory.Predictor.predict(io.conlimit.theory.ServiceModel.of(config, 16, 4096), plan,
                PredictionObserver.toTheory(SynRetrySchedule.compute(6, 4, 120_000)), 20_000, Duration.ZERO);
        // what this kernel did once: 18 at once, the 82 others all "connected" at the 1 s retry
        String note = PredictionObserver.retryClusterNote(p, json("{\"outcomes\": {\"ok\": 100}, \"limit\": {\"measured\": 18}}"));
        assertTrue(note != null && note.startsWith("82 connected after SYN retransmits where the server could queue about 0"), note);
        // the case the theory describes: the others time out
        assertNull(PredictionObserver.retryClusterNote(p, json("{\"outcomes\": {\"ok\": 21}, \"limit\": {\"measured\": 21}}")));
    }

    @Test
    void theOpenFileLimitIsTheSoftOne(@TempDir Path tmp) throws Exception {
        Path limits = tmp.resolve("limits");
        Files.writeString(limits, "Limit                     Soft Limit           Hard Limit           Units\n"
                + "Max open files            20000                20000                files\n");
        assertEquals(20000, PredictionObserver.openFileLimit(limits));
        assertEquals(-1, PredictionObserver.openFileLimit(tmp.resolve("none")));
    }

    @Test
    void theLaunchSpreadIsReadFromTheSummary() throws Exception {
        assertEquals(Duration.ofNanos(4_322_855), PredictionObserver.launchSpread(json("{\"launch_spread_ms\": 4.322855}")));
        assertEquals(Duration.ZERO, PredictionObserver.launchSpread(json("{}")));
        assertNull(PredictionObserver.number(json("{}"), List.of("a", "b")));
    }
}
