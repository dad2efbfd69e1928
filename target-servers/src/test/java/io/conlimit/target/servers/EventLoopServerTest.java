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
}
