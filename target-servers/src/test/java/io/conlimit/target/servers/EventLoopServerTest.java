package io.conlimit.target.servers;

import io.conlimit.kernel.ListenQueues;
import io.conlimit.kernel.ListenSocket;
import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import io.conlimit.target.TargetServer;
import io.conlimit.target.TargetServers;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.conlimit.target.Probes.assertNoServerThreads;
import static io.conlimit.target.Probes.closeAll;
import static io.conlimit.target.Probes.connect;
import static io.conlimit.target.Probes.listener;
import static io.conlimit.target.Probes.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** event-loop's limit is not the backlog: with --backlog 8 it holds 2,000 connections (4,000 fds here, limit 20,000). */
class EventLoopServerTest {
    private static final int CONNECTIONS = 2_000;
    private static final int AHEAD = 4;

    @Test
    void holdsThousandsOfConnectionsBeyondTheBacklog() throws Exception {
        assumeTrue(ListenQueues.find().isPresent(), "iproute2's ss is not installed");
        ServerConfig config = ServerConfig.builder(ServerKind.EVENT_LOOP).workers(2)
                .backlog(BacklogRequest.of(8)).hold(new HoldSpec.Forever()).build();
        List<Socket> clients = new ArrayList<>(CONNECTIONS);
        try (TargetServer server = TargetServers.start(config)) {
            ListenSocket ls = listener(server);
            assertEquals(server.backlog().effective(), ls.max(), "Send-Q as reported");
            assertTrue(ls.max() <= 8, "the kernel's maximum is at most the 8 asked for: " + ls.max());
            for (int i = 0; i < CONNECTIONS; i++) {
                // pace: at most AHEAD connections not yet accepted, so a descheduled event loop on a busy
                // machine does not overflow the 8-slot queue (a dropped SYN costs a 1 s retransmit)
                int atLeast = i - AHEAD;
                waitUntil(() -> server.stats().accepted() >= atLeast, Duration.ofSeconds(10),
                        () -> atLeast + " accepted, stats " + server.stats());
                clients.add(connect(server.address(), 5_000));
            }
            waitUntil(() -> server.stats().accepted() == CONNECTIONS && server.stats().inService() == CONNECTIONS, Duration.ofSeconds(20),
                    () -> CONNECTIONS + " accepted, stats " + server.stats());
            assertEquals(CONNECTIONS, clients.size(), "handshakes completed");
            assertEquals(CONNECTIONS, server.stats().inService(), "held at once");
            assertEquals(0, listener(server).queued(), "nothing left waiting in the kernel");
        } finally {
            closeAll(clients);
        }
        assertNoServerThreads();
    }

    /**
     * Hold 0 with nothing to say: accept-and-close without a channel per connection. Every client sees the
     * server's FIN (read returns -1), the counters match, and nothing is left in the kernel's accept queue.
     */
    @Test
    void holdZeroAcceptsAndClosesEveryConnection() throws Exception {
        assumeTrue(ListenQueues.find().isPresent(), "iproute2's ss is not installed");
        ServerConfig config = ServerConfig.builder(ServerKind.EVENT_LOOP).workers(1).banner(null)
                .backlog(BacklogRequest.of(64)).hold(new HoldSpec.Fixed(Duration.ZERO)).build();
        int n = 200;
        try (TargetServer server = TargetServers.start(config)) {
            assumeTrue(io.netty.channel.epoll.Epoll.isAvailable(), "the accept-and-close path needs epoll");
            assertTrue(((EventLoopServer) server).acceptsAndCloses(), "hold 0, no banner, no replies");
            assertEquals(server.backlog().effective(), listener(server).max(), "Send-Q as reported");
            for (int i = 0; i < n; i++) {
                try (Socket s = connect(server.address(), 5_000)) {
                    s.setSoTimeout(5_000);
                    assertEquals(-1, s.getInputStream().read(), "the server closed connection " + i + " with a FIN");
                }
            }
            waitUntil(() -> server.stats().closed() == n, Duration.ofSeconds(10), () -> n + " closed, stats " + server.stats());
            assertEquals(n, server.stats().accepted());
            assertEquals(n, server.stats().served(), "a hold of 0 completed");
            assertEquals(0, server.stats().inService());
            assertEquals(0, listener(server).queued(), "nothing left waiting in the kernel");
        }
        assertNoServerThreads();
    }

    @Test
    void aBannerKeepsTheChannelPath() throws Exception {
        ServerConfig config = ServerConfig.builder(ServerKind.EVENT_LOOP).workers(1).banner("hello")
                .backlog(BacklogRequest.of(64)).hold(new HoldSpec.Fixed(Duration.ZERO)).build();
        try (TargetServer server = TargetServers.start(config)) {
            assertTrue(!((EventLoopServer) server).acceptsAndCloses(), "a banner is written on a channel");
            try (Socket s = connect(server.address(), 5_000)) {
                s.setSoTimeout(5_000);
                byte[] b = s.getInputStream().readAllBytes();
                assertEquals("hello\r\n", new String(b, java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        assertNoServerThreads();
    }
}
