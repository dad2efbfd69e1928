package io.conlimit.target.servers;

import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import io.conlimit.target.TargetServers;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.conlimit.target.Probes.assertNoServerThreads;
import static io.conlimit.target.Probes.closeAll;
import static io.conlimit.target.Probes.connect;
import static io.conlimit.target.Probes.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sleepy-accept admits one connection per --accept-delay: with the backlog holding waiting connections,
 * accept() returns once per delay, never faster. Tolerance: never faster is exact (Thread.sleep does not
 * return early; 1 ms allowed for clock granularity); "not much slower" allows 150 ms per gap for thread
 * scheduling on a loaded machine.
 */
class SleepyAcceptTest {
    private static final Duration DELAY = Duration.ofMillis(200);
    private static final int B = 2;

    @Test
    void acceptsOneConnectionPerDelayAndNeverFaster() throws Exception {
        ServerConfig config = ServerConfig.builder(ServerKind.SLEEPY_ACCEPT).acceptDelay(DELAY)
                .backlog(BacklogRequest.of(B)).hold(new HoldSpec.Forever()).build();
        // one taken by accept() at once, B + 1 waiting in the kernel's queue: all complete without retransmits
        int arrivals = 1 + B + 1;
        List<Socket> clients = new ArrayList<>();
        try (SleepyAcceptServer server = (SleepyAcceptServer) TargetServers.start(config)) {
            assertTrue(server.startLine().contains(" workers=1 "), server.startLine());
            long[] arrived = new long[arrivals];
            for (int i = 0; i < arrivals; i++) {
                clients.add(connect(server.address(), 5_000));
                arrived[i] = System.nanoTime();
                if (i == 0) {
                    // the acceptor takes the first before the others come, so B + 1 fit in the queue
                    waitUntil(() -> server.stats().accepted() == 1, Duration.ofSeconds(10), () -> "the first accept");
                }
            }
            waitUntil(() -> server.stats().accepted() == arrivals, Duration.ofSeconds(10),
                    () -> arrivals + " accepted, stats " + server.stats());
            long[] t = server.acceptTimesNanos();
            assertEquals(arrivals, t.length);
            long delay = DELAY.toNanos();
            for (int i = 1; i < t.length; i++) {
                long gap = t[i] - t[i - 1];
                assertTrue(gap >= delay - 1_000_000L, "accept " + i + " came " + gap / 1e6 + " ms after the previous one, faster than the delay");
                // due: one delay after the previous accept, or when the connection arrived if that was later
                long due = Math.max(t[i - 1] + delay, arrived[i]);
                long late = t[i] - due;
                assertTrue(late <= 150_000_000L, "accept " + i + " came " + late / 1e6 + " ms after it was due: the acceptor idled while a connection waited");
            }
            long span = t[t.length - 1] - t[0];
            assertTrue(span >= (arrivals - 1) * (delay - 1_000_000L), (arrivals - 1) + " delays between first and last accept, got " + span / 1e6 + " ms");
            // a handler thread per connection: all are held at once (handlers start just after accept)
            waitUntil(() -> server.stats().inService() == arrivals, Duration.ofSeconds(10),
                    () -> arrivals + " in service, stats " + server.stats());
        } finally {
            closeAll(clients);
        }
        assertNoServerThreads();
    }
}
