package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hold probe against a blocking pool W=2, B=8 (two threads that accept once and hold) finds W + B + 1 = 11. */
@Timeout(60)
class HoldProbeTest {
    @Test
    void findsWorkersPlusBacklogPlusOne() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket server = TestServers.listener(8); Fleet fleet = new Fleet(2)) {
            for (int w = 0; w < 2; w++) {
                Thread t = new Thread(() -> {
                    try {
                        accepted.add(server.accept()); // once, then hold forever
                    } catch (Exception ignored) {
                        // closed at the end
                    }
                });
                t.setDaemon(true);
                t.start();
            }
            CollectingListener l = new CollectingListener();
            FleetResult result = fleet.run(TestServers.address(server), TestServers.connectOnly(Duration.ofMillis(1500)),
                    List.of(new LoadPhase.HoldProbe(Duration.ofMillis(10), 100, 2)), l, System.nanoTime());
            assertEquals(11, result.heldMax(), "W + B + 1 with W=2, B=8: " + l.outcomes());
            Map<Outcome, Integer> outcomes = l.outcomes();
            assertEquals(11, outcomes.get(Outcome.CONNECTED), "the connect probe checks only the handshake");
            assertEquals(2, outcomes.get(Outcome.CONNECT_TIMEOUT), "stops after 2 consecutive failures");
            assertEquals(13, l.started.get());
            long closedAtEnd = l.closed().stream().filter(r -> r.outcome() == Outcome.CONNECTED && r.close().equals("fin")).count();
            assertEquals(11, closedAtEnd, "held connections are closed (FIN) at the end");
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
