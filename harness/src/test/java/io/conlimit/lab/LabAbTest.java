package io.conlimit.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.fleet.Outcome;
import io.conlimit.results.ResultsFolder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * serverfault's "does net.core.somaxconn make a difference?" on two simulated machines: the same burst from the
 * client namespace against the same server (blocking-pool, backlog max, 2 workers holding each connection
 * 200 ms) in a server namespace with somaxconn 128, then 4096. Asserted from the run's summary.json (read through
 * {@link ResultsFolder}), i.e. from the server namespace's own kernel.
 * <p>
 * Why these numbers are robust: the server accepts at most 2 / 200 ms = 10 connections a second, so during the
 * burst (600 connects released together, launched within well under a second even on a loaded machine) the
 * accept queue can only hold backlog + 1 of them: 129 with 128, so at least ~400 SYNs overflow; with 4096 all
 * 600 fit, so no SYN is dropped and none is retransmitted. Needs root (skipped otherwise, with the reason).
 */
class LabAbTest {
    private static final List<String> SERVE = List.of("blocking-pool", "--backlog", "max", "--workers", "2", "--hold", "200ms");
    private static final List<String> BURST = List.of("--burst", "600", "--connect-timeout", "3.5s", "--hold", "0",
            "--name", "lab-ab");

    @TempDir
    Path dir;

    @BeforeEach
    void needs() {
        LabTesting.assumeLabAvailable();
    }

    private LabRun.Result run(int somaxconn, ByteArrayOutputStream log) throws Exception {
        PrintStream p = new PrintStream(log, true, StandardCharsets.UTF_8);
        LabSpec spec = LabSpec.builder().runId(LabTesting.testRunId("ab"))
                .serverSysctl("net.core.somaxconn", Integer.toString(somaxconn)).build();
        LabRun.Result r = LabRun.builder().spec(spec).serveArgs(SERVE).runArgs(BURST)
                .outDir(dir.resolve("somaxconn-" + somaxconn)).out(p).err(p)
                .startTimeout(LabTesting.CHILD_TIMEOUT).runTimeout(Duration.ofSeconds(120)).build().run();
        assertFalse(LabTesting.exists(LabNames.serverNamespace(spec.runId())), "the server namespace is removed");
        assertFalse(LabTesting.exists(LabNames.clientNamespace(spec.runId())), "the client namespace is removed");
        return r;
    }

    private static long delta(ObjectNode s, String counter) {
        JsonNode n = s.path("kernel").path("counters_delta").path(counter);
        assertTrue(n.isNumber(), "kernel.counters_delta." + counter + " in " + s.path("kernel"));
        return n.asLong();
    }

    @Test
    void somaxconn128DropsTheBurstsSynsAnd4096TakesThemAll() throws Exception {
        ByteArrayOutputStream log128 = new ByteArrayOutputStream();
        LabRun.Result small = run(128, log128);
        String out128 = log128.toString(StandardCharsets.UTF_8);
        assertEquals(0, small.exitCode(), out128);
        assertEquals("128", small.serverStart().get("backlog.effective"), small.serverStartLine());
        ResultsFolder a = ResultsFolder.load(small.folder());
        assertTrue(a.complete(), out128);
        ObjectNode s = a.requireSummary();
        assertEquals(600, s.path("connections").asLong(), out128);
        assertEquals(true, s.path("kernel").path("observed").asBoolean(), s.path("kernel").toString());
        assertEquals("namespace " + small.labSection().get("server_namespace"), s.path("kernel").path("source").asText());
        assertEquals(128, s.path("kernel").path("backlog_seen").asLong(), s.path("kernel").toString());
        assertTrue(delta(s, "ListenOverflows") > 0, "the full accept queue dropped SYNs: " + s.path("kernel"));
        long retrans = s.path("syn_retransmits").path("total").asLong();
        assertTrue(retrans > 0 || a.outcome(Outcome.CONNECT_TIMEOUT) > 0,
                "the client saw the drops (SYN retransmits or timeouts): " + s.path("syn_retransmits"));
        assertEquals(128, s.path("lab").path("backlog_effective").asLong(), s.path("lab").toString());
        assertTrue(Files.readString(small.folder().resolve(LabRun.SERVER_LOG)).contains("backlog.effective=128"));

        ByteArrayOutputStream log4096 = new ByteArrayOutputStream();
        LabRun.Result large = run(4096, log4096);
        String out4096 = log4096.toString(StandardCharsets.UTF_8);
        assertEquals(0, large.exitCode(), out4096);
        assertEquals("4096", large.serverStart().get("backlog.effective"), large.serverStartLine());
        ResultsFolder b = ResultsFolder.load(large.folder());
        assertTrue(b.complete(), out4096);
        ObjectNode t = b.requireSummary();
        assertEquals(600, t.path("connections").asLong(), out4096);
        assertEquals(4096, t.path("kernel").path("backlog_seen").asLong(), t.path("kernel").toString());
        assertEquals(0, delta(t, "ListenOverflows"), "nothing overflowed a 4096 queue: " + t.path("kernel"));
        assertEquals(0, t.path("syn_retransmits").path("total").asLong(), t.path("syn_retransmits").toString());
        // all 600 handshakes completed at once; the 2 workers (200 ms each) greet about 10/s, so within the 2 s
        // response timeout only some are served (ok) and the rest waited in the queue (connected-unserved)
        assertEquals(600, b.outcome(Outcome.OK) + b.outcome(Outcome.CONNECTED_UNSERVED), out4096);
        assertTrue(b.outcome(Outcome.OK) >= 2 && b.outcome(Outcome.OK) <= 60, "served: about 2 + 10/s x 2 s: " + out4096);
        assertEquals(0, b.outcome(Outcome.CONNECT_TIMEOUT), out4096);
    }
}
