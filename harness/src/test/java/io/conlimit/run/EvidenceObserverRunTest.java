package io.conlimit.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.conlimit.agent.AgentServer;
import io.conlimit.util.ExitCodes;
import io.conlimit.kernel.ListenQueues;
import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import io.conlimit.results.ResultsFolder;
import io.conlimit.results.ResultsLayout;
import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs through {@link RunExecutor} with the {@link EvidenceObserver} against an embedded blocking-pool W=1, B=4
 * that holds forever: a hold probe holds W + B + 1 = 6, then two connects time out (1.5 s each, one SYN
 * retransmit each), so the accept queue stays full (5 = B + 1 queued) for about 3 s, some 30 samples at 10 Hz.
 */
@Timeout(120)
class EvidenceObserverRunTest {
    private static final String TOKEN = "run-evidence-token";

    @BeforeAll
    static void needsSs() {
        assumeTrue(ListenQueues.find().isPresent(), "skipped: iproute2's ss is not installed (the accept queue cannot be read)");
    }

    private static RunPlan plan() {
        ServerConfig server = ServerConfig.builder(ServerKind.BLOCKING_POOL).bind("127.0.0.1").port(0).workers(1)
                .backlog(BacklogRequest.of(4)).hold(new HoldSpec.Forever()).build();
        ClientOptions client = new ClientOptions(new Probe.Connect(), Duration.ofMillis(1500), Duration.ofSeconds(2),
                null, ClientOptions.CloseMode.FIN, List.of());
        return new RunPlan("evidence", new TargetSpec.Embedded(server), client,
                List.of(new LoadPhase.HoldProbe(Duration.ofMillis(10), 100, 2)));
    }

    private record Outcome(int code, ResultsFolder folder, String out, String err) {
    }

    private static Outcome run(Path dir, EvidenceObserver observer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        RunSettings settings = new RunSettings(dir, dir.resolve("run"), 1, 1_000_000, 1000, false, List.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), false);
        int code = new RunExecutor(EmbeddedTargetStarter.standard(), settings, List.of(observer)).execute(plan());
        return new Outcome(code, Files.exists(dir.resolve("run")) ? ResultsFolder.load(dir.resolve("run")) : null,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }

    /** kernel-timeline.csv rows: t_ms, queued, max, counters; checks the header. */
    private static List<String[]> kernelTimeline(ResultsFolder f) throws Exception {
        List<String> lines = Files.readAllLines(f.file(ResultsLayout.KERNEL_TIMELINE_CSV).orElseThrow());
        assertEquals(String.join(",", ResultsLayout.kernelTimelineColumns()), lines.get(0));
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }

    /** The facts both sources must show: exact queue numbers, overflows covering the client's retransmits, agree. */
    private static void assertKernelFacts(Outcome r) throws Exception {
        assertEquals(ExitCodes.OK, r.code(), r.err());
        JsonNode s = r.folder().requireSummary();
        assertEquals(6, s.path("held_max").asInt(), "W + B + 1 = 6: " + s);
        JsonNode k = s.path("kernel");
        assertTrue(k.path("observed").asBoolean(), k.toString());
        assertEquals(4, k.path("backlog_seen").asInt(), "Send-Q = B as the kernel reports it: " + k);
        assertEquals(5, k.path("queue_max_seen").asInt(), "Recv-Q reaches B + 1 while the queue is full: " + k);
        long retrans = s.path("syn_retransmits").path("total").asLong();
        assertTrue(retrans >= 2, "each of the 2 timed-out connects retransmitted its SYN once: " + s.path("syn_retransmits"));
        long overflows = k.path("counters_delta").path("ListenOverflows").asLong();
        assertTrue(overflows >= retrans, "every SYN into the full queue is an overflow: " + overflows + " < " + retrans);
        assertEquals("agree", s.path("consistency").path("status").asText(), s.path("consistency").toString());
        // the census, exact: both socket tables hold the same 6 connections, 2 accepted and B + 1 = 5 in the full queue
        JsonNode census = s.path("server_sockets");
        assertTrue(census.path("taken").asBoolean(), census.toString());
        assertEquals(6, census.path("client_connected").asInt(), census.toString());
        assertEquals(6, census.path("server_has").asInt(), census.toString());
        assertEquals(0, census.path("server_syn_recv").asInt(), census.toString());
        assertEquals(0, census.path("phantoms").asInt(), census.toString());
        assertEquals(5, census.path("accept_queue").asInt(), census.toString());
        assertEquals(4, census.path("backlog").asInt(), census.toString());
        assertTrue(k.path("samples").asLong() >= 10, k.toString());

        List<String[]> rows = kernelTimeline(r.folder());
        assertEquals(k.path("samples").asLong(), rows.size());
        assertEquals(rows.size(), k.path("timeline_rows").asLong());
        double durationMs = s.path("duration_s").asDouble() * 1000;
        double last = -1;
        int maxQueued = -1;
        for (String[] row : rows) {
            double t = Double.parseDouble(row[0]);
            assertTrue(t >= 0 && t <= durationMs + 50, "t_ms in the run epoch: " + t + " of " + durationMs);
            assertTrue(t > last, "ordered: " + t + " after " + last);
            last = t;
            if (!row[1].isEmpty()) {
                maxQueued = Math.max(maxQueued, Integer.parseInt(row[1]));
                assertEquals("4", row[2]);
            }
        }
        assertEquals(k.path("queue_max_seen").asInt(), maxQueued);
        assertTrue(r.out().contains("backlog (Send-Q) 4, max accept queue seen 5"), r.out());
        assertTrue(r.out().contains("consistency: agree."), r.out());
    }

    @Test
    void localKernelEvidenceBesideAnEmbeddedRun(@TempDir Path dir) throws Exception {
        EvidenceObserver observer = new EvidenceObserver(null, null);
        Outcome r = run(dir, observer);
        assertEquals(EvidenceSourceChoice.Kind.LOCAL, observer.choice().kind());
        assertKernelFacts(r);
        JsonNode k = r.folder().requireSummary().path("kernel");
        assertEquals("local", k.path("source").asText());
        assertEquals(10.0, k.path("sampling_rate_hz").asDouble());
        assertTrue(k.path("clock").isNull(), "same clock, nothing to align: " + k);
        assertFalse(k.path("server_settings").path("sysctls").path("net.core.somaxconn").isMissingNode(), k.toString());
    }

    @Test
    void agentSamplesMergedIntoTheRunsEpoch(@TempDir Path dir) throws Exception {
        try (AgentServer agent = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), TOKEN, 10)) {
            String hostPort = "127.0.0.1:" + agent.address().getPort();
            EvidenceObserver observer = new EvidenceObserver(hostPort, TOKEN);
            Outcome r = run(dir, observer);
            assertEquals(EvidenceSourceChoice.Kind.AGENT, observer.choice().kind());
            assertKernelFacts(r);
            JsonNode k = r.folder().requireSummary().path("kernel");
            assertEquals("agent " + hostPort, k.path("source").asText());
            JsonNode clock = k.path("clock");
            assertTrue(clock.isObject(), k.toString());
            // one host, one CLOCK_MONOTONIC: the measured offset lies within its stated uncertainty of 0
            assertTrue(Math.abs(clock.path("offset_ms").asDouble()) <= clock.path("uncertainty_ms").asDouble() + 0.001, clock.toString());
            assertTrue(r.out().contains("agent clock offset "), r.out());
        }
    }

    @Test
    void anAgentThatRefusesTheTokenStopsTheRunBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        try (AgentServer agent = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), TOKEN, 10)) {
            String hostPort = "127.0.0.1:" + agent.address().getPort();
            Outcome r = run(dir, new EvidenceObserver(hostPort, "wrong"));
            assertEquals(ExitCodes.USAGE, r.code(), "a wrong token is a configuration error");
            assertTrue(r.err().contains("--agent " + hostPort + " refused the token"), r.err());
            assertNull(r.folder(), "no results folder is left behind");
        }
    }

    @Test
    void anAgentThatCannotBeReachedStopsTheRunWithoutAFolder(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // closed again: nothing listens there
        }
        Outcome r = run(dir, new EvidenceObserver("127.0.0.1:" + port, TOKEN));
        assertEquals(ExitCodes.RUN_INCOMPLETE, r.code());
        assertTrue(r.err().contains("cannot reach agent 127.0.0.1:" + port + ": connection refused"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertNull(r.folder(), "no results folder is left behind");
    }
}
