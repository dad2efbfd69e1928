package io.conlimit.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.agent.AgentCommand;
import io.conlimit.kernel.ChildJava;
import io.conlimit.kernel.ListenQueueSampler.Sample;
import io.conlimit.kernel.ListenQueues;
import io.conlimit.kernel.ListenSocket;
import io.conlimit.kernel.Sysctls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The agent as its own process (loopback, with a token) and the harness's AgentClient talking to it. */
class AgentEndToEndTest {
    private static final String TOKEN = "s3cret-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ChildJava agent;
    private static String hostPort;

    @BeforeAll
    static void startAgent() throws Exception {
        assumeTrue(ListenQueues.find().isPresent(), "skipped: iproute2's ss is not installed");
        agent = ChildJava.start(ChildJava.command(AgentCommand.class, "--listen", "127.0.0.1:0", "--token", TOKEN, "--rate", "20"));
        String line = agent.await("agent listening on ", 30_000);
        assertTrue(line.endsWith(" token=required rate=20Hz"), line);
        hostPort = line.split(" ")[3];
    }

    @AfterAll
    static void stopAgent() {
        if (agent != null) {
            agent.close();
        }
    }

    private static int agentPort() {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /** The JDK's HttpServer opens a dual-stack socket: 127.0.0.1 shows as its IPv4-mapped form, still loopback only. */
    private static void assertLoopback(String local, int port) {
        assertTrue(local.equals("127.0.0.1:" + port) || local.equals("[::ffff:127.0.0.1]:" + port), local);
    }

    @Test
    void bindsLoopbackAsTheKernelReports() throws Exception {
        List<ListenSocket> l = ListenQueues.find().orElseThrow().onPort(agentPort());
        assertEquals(1, l.size(), l.toString());
        assertLoopback(l.get(0).local(), agentPort());
    }

    @Test
    void tokenIsRefusedWithoutAndAcceptedWith() throws Exception {
        AgentClient none = AgentClient.builder(hostPort).build();
        AgentClient wrong = AgentClient.builder(hostPort).token("nope").build();
        AgentClient right = AgentClient.builder(hostPort).token(TOKEN).build();
        for (String path : List.of("/sysinfo", "/clock", "/counters", "/listeners?port=1", "/samples?port=1")) {
            HttpResponse<String> r = none.send(path);
            assertEquals(401, r.statusCode(), path);
            assertTrue(JSON.readTree(r.body()).path("error").asText().contains("token"), r.body());
            assertEquals(401, wrong.send(path).statusCode(), path);
        }
        assertEquals(400, none.send("/clock?token=" + TOKEN).statusCode(), "a token in the URL is refused (it ends up in logs)");
        assertEquals(200, right.send("/clock").statusCode());
        assertEquals(404, right.send("/nothing").statusCode());
        assertEquals(400, right.send("/samples").statusCode());
        assertEquals(400, right.send("/listeners?port=x").statusCode());
    }

    @Test
    void endpointsReturnKernelBackedJson() throws Exception {
        AgentClient c = AgentClient.builder(hostPort).token(TOKEN).build();
        Map<String, Object> sys = c.sysinfo();
        @SuppressWarnings("unchecked")
        Map<String, Object> sysctls = (Map<String, Object>) sys.get("sysctls");
        assertEquals(String.valueOf(new Sysctls().somaxconn()), sysctls.get("net.core.somaxconn"), "same host, same namespace");
        assertTrue(sys.containsKey("kernel_version") && sys.containsKey("open_files_limit"), sys.toString());
        assertTrue(sys.get("syn_retry_schedule") instanceof Map, sys.toString());
        assertTrue(sys.get("now_nanos") instanceof Number && sys.get("now_epoch_ms") instanceof Number, sys.toString());

        // the agent's own listener: AgentHttp binds with backlog 128 -> Send-Q 128 (somaxconn permitting)
        JsonNode listeners = c.listeners(agentPort()).path("listeners");
        assertEquals(1, listeners.size(), listeners.toString());
        assertEquals(Math.min(128, new Sysctls().somaxconn()), listeners.get(0).path("max").asInt());

        Map<String, Long> counters = c.counters();
        assertTrue(counters.containsKey("ListenOverflows") && counters.containsKey("TCPSynRetrans"), counters.toString());
    }

    @Test
    void clockOffsetOnTheSameHostIsWithinItsUncertaintyOfZero() throws Exception {
        // both processes read CLOCK_MONOTONIC through System.nanoTime() (and the same wall clock): the true offset
        // is 0, and the agent's reading lies between our send and receive, so |offset| <= RTT/2 must hold.
        AgentClient c = AgentClient.builder(hostPort).token(TOKEN).build();
        ClockAlignment a = c.alignClock(8);
        assertEquals(8, a.rounds());
        assertTrue(Math.abs(a.offsetNanos()) <= a.uncertaintyNanos(),
                "offset " + a.offsetNanos() + " ns outside ± " + a.uncertaintyNanos() + " ns");
        // wall clock: ms resolution on both sides adds up to 1 ms each
        assertTrue(Math.abs(a.wallOffsetMillis()) <= a.uncertaintyNanos() / 1_000_000 + 2, a.toString());
    }

    @Test
    void samplesOfAListenerArriveInOurEpoch() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 7, InetAddress.getLoopbackAddress());
             Socket a = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket b = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            long epoch = System.nanoTime();
            AgentClient c = AgentClient.builder(hostPort).token(TOKEN).listener(server.getLocalPort(), "127.0.0.1")
                    .epochNanos(epoch).build();
            try (EvidenceSession session = EvidenceSession.start(c)) {
                ClockAlignment clock = c.clock().orElseThrow();
                List<Sample> got = new ArrayList<>();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (got.size() < 3 && System.nanoTime() < deadline) {
                    got.addAll(session.poll());
                    Thread.sleep(100); // poll interval, bounded by the deadline
                }
                assertTrue(got.size() >= 3, "samples: " + got);
                long nowInEpoch = System.nanoTime() - epoch;
                for (Sample s : got) {
                    assertEquals(2, s.queued(), "two connections wait for accept()");
                    assertEquals(7, s.max(), "the backlog asked for");
                    assertTrue(s.nanos() >= -clock.uncertaintyNanos() && s.nanos() <= nowInEpoch + clock.uncertaintyNanos(),
                            "sample at " + s.nanos() + " ns outside the run so far (" + nowInEpoch + " ns)");
                }
                for (int i = 1; i < got.size(); i++) {
                    assertTrue(got.get(i).nanos() > got.get(i - 1).nanos(), "no sample twice, in order");
                }
                KernelEvidenceSummary sum = session.finish(new ConsistencyCheck.ClientView(0, 0, 2), got::addAll);
                assertEquals(got.size(), session.tally().count(), "the tally counts every sample polled");
                Map<String, Object> json = sum.toJson();
                assertEquals("agent " + hostPort, json.get("source"));
                assertEquals(2, json.get("queue_max_seen"));
                assertEquals(7, json.get("backlog_seen"));
                assertEquals(20.0, json.get("sampling_rate_hz"));
                assertTrue(json.get("clock") instanceof Map, json.toString());
                assertFalse(sum.serverSettings().isEmpty());
            }
        }
    }

    @Test
    void agentWithoutListenBindsLoopback7070InsideANamespace() throws Exception {
        // the default bind is checked where 7070 is surely free: a namespace of our own
        try (var ns = io.conlimit.kernel.Namespaces.createOrSkip();
             ChildJava child = ChildJava.start(ns.exec(ChildJava.command(AgentCommand.class)))) {
            String line = child.await("agent listening on ", 30_000);
            assertEquals("agent listening on 127.0.0.1:7070 token=none rate=10Hz", line);
            Optional<ListenSocket> s = ListenQueues.find().orElseThrow().in(ns).find("127.0.0.1", 7070);
            assertLoopback(s.orElseThrow().local(), 7070);
        }
    }
}
