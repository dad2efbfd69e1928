package io.conlimit.target.servers;

import io.conlimit.kernel.ListenQueues;
import io.conlimit.kernel.ListenSocket;
import io.conlimit.kernel.TcpExtCounters;
import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import io.conlimit.target.TargetServer;
import io.conlimit.target.TargetServers;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.conlimit.target.Probes.assertNoServerThreads;
import static io.conlimit.target.Probes.closeAll;
import static io.conlimit.target.Probes.connect;
import static io.conlimit.target.Probes.listener;
import static io.conlimit.target.Probes.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The exact limits of the blocking kinds, against the kernel: with every worker holding a connection
 * forever and arrivals spread out, W (+ Q) + B + 1 handshakes complete, the next SYN gets no SYN-ACK,
 * ListenOverflows moves, and ss shows Recv-Q = B + 1, Send-Q = B.
 */
class AcceptQueueLimitTest {
    /** Longer than a loopback handshake by far, shorter than the 1 s SYN retransmit. */
    private static final int NO_SYN_ACK_MILLIS = 700;

    @Test
    void blockingPoolCompletesExactlyWorkersPlusBacklogPlusOne() throws Exception {
        assertLimit(ServerKind.BLOCKING_POOL, 2, 0, 3);
    }

    @Test
    void threadPoolCompletesExactlyWorkersPlusQueuePlusBacklogPlusOne() throws Exception {
        assertLimit(ServerKind.THREAD_POOL, 2, 2, 3);
    }

    private static void assertLimit(ServerKind kind, int w, int q, int b) throws Exception {
        assumeTrue(ListenQueues.find().isPresent(), "iproute2's ss is not installed: the kernel's queue cannot be read");
        TcpExtCounters tcpExt = new TcpExtCounters();
        long overflowsBefore = tcpExt.read("ListenOverflows");
        ServerConfig config = ServerConfig.builder(kind).workers(w).queue(q).backlog(BacklogRequest.of(b))
                .hold(new HoldSpec.Forever()).build();
        int inServer = w + q;
        int limit = inServer + b + 1;
        List<Socket> clients = new ArrayList<>();
        try (TargetServer server = TargetServers.start(config)) {
            assertEquals(b, server.backlog().effective(), "effective backlog read from ss: " + server.backlog());
            InetSocketAddress to = server.address();
            for (int i = 0; i < limit; i++) {
                // spread arrivals: the server has taken in every connection it can before the next one comes
                int expected = Math.min(i, inServer);
                waitUntil(() -> server.stats().accepted() >= expected, Duration.ofSeconds(10),
                        () -> expected + " accepted, stats " + server.stats());
                clients.add(connect(to, 5_000));
            }
            waitUntil(() -> server.stats().accepted() == inServer, Duration.ofSeconds(10),
                    () -> inServer + " accepted, stats " + server.stats());
            waitUntil(() -> queued(server) == b + 1, Duration.ofSeconds(10), () -> "Recv-Q " + (b + 1));

            Socket extra = new Socket();
            long t0 = System.nanoTime();
            assertThrows(SocketTimeoutException.class, () -> extra.connect(to, NO_SYN_ACK_MILLIS),
                    "connection " + (limit + 1) + " must get no SYN-ACK while " + limit + " are held");
            long waitedMillis = (System.nanoTime() - t0) / 1_000_000;
            extra.close();
            assertTrue(waitedMillis >= NO_SYN_ACK_MILLIS - 50, "the connect timed out, not failed fast: " + waitedMillis + " ms");

            // the counters move just after accept() returns: let them settle before reading them
            waitUntil(() -> server.stats().inService() == w && server.stats().queued() == q, Duration.ofSeconds(10),
                    () -> w + " in service, " + q + " queued, stats " + server.stats());
            assertEquals(limit, clients.size(), "handshakes completed");
            assertEquals(inServer, server.stats().accepted(), "accepted by the application");
            assertEquals(w, server.stats().inService(), "held by workers");
            assertEquals(q, server.stats().queued(), "waiting in the hand-off queue");
            ListenSocket ls = listener(server);
            assertEquals(b + 1, ls.queued(), "Recv-Q: connections the kernel completed and nobody accepted");
            assertEquals(b, ls.max(), "Send-Q: the accept queue's maximum");
            long overflows = tcpExt.read("ListenOverflows") - overflowsBefore;
            assertTrue(overflows >= 1, "TcpExtListenOverflows grew by " + overflows);
        } finally {
            closeAll(clients);
        }
        assertNoServerThreads();
    }

    private static int queued(TargetServer server) {
        try {
            return listener(server).queued();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
