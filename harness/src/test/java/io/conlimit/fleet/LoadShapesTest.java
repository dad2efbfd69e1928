package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Burst and rate shapes against a fast-accepting listener. */
@Timeout(60)
class LoadShapesTest {
    private static Thread acceptLoop(ServerSocket server) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoLinger(false, 0);
                } catch (Exception e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void burstOf500AllOkWithALaunchSpread() throws Exception {
        try (ServerSocket server = TestServers.listener(4096); Fleet fleet = new Fleet(2)) {
            acceptLoop(server);
            CollectingListener l = new CollectingListener();
            FleetResult result = fleet.run(TestServers.address(server), TestServers.connectOnly(Duration.ofSeconds(5)),
                    List.of(new LoadPhase.Burst(500)), l, System.nanoTime());
            assertEquals(500, l.outcomes().get(Outcome.CONNECTED), l.outcomes().toString());
            assertEquals(500, l.closed().size());
            assertEquals(500, l.started.get());
            assertTrue(result.launchSpreadNanos() > 0, "launch spread " + result.launchSpreadNanos());
            long[] calls = l.closed().stream().mapToLong(ConnectionRecord::connectCallNanos).toArray();
            assertEquals(Arrays.stream(calls).max().orElseThrow() - Arrays.stream(calls).min().orElseThrow(),
                    result.phases().get(0).launchSpreadNanos(), "the launch spread is the last connect() call minus the first");
            long intended = l.closed().get(0).intendedNanos();
            assertTrue(l.closed().stream().allMatch(r -> r.intendedNanos() == intended), "one release instant for all");
            assertTrue(l.closed().stream().allMatch(r -> r.connectCallNanos() >= intended));
        }
    }

    @Test
    void rate200PerSecondForOneSecondIsEvenlySpaced() throws Exception {
        try (ServerSocket server = TestServers.listener(4096); Fleet fleet = new Fleet(2)) {
            acceptLoop(server);
            CollectingListener l = new CollectingListener();
            fleet.run(TestServers.address(server), TestServers.connectOnly(Duration.ofSeconds(5)),
                    List.of(new LoadPhase.Rate(200, Duration.ofSeconds(1), false)), l, System.nanoTime());
            assertEquals(200, l.started.get(), "200/s for 1 s");
            assertEquals(200, l.closed().size());
            long[] intended = l.closed().stream().mapToLong(ConnectionRecord::intendedNanos).sorted().toArray();
            for (int i = 1; i < intended.length; i++) {
                assertEquals(5_000_000L, intended[i] - intended[i - 1], "intended starts 5 ms apart at " + i);
            }
            assertTrue(Arrays.stream(intended).allMatch(t -> t > 0));
            assertTrue(l.closed().stream().allMatch(r -> r.connectCallNanos() >= r.intendedNanos()), "never started early");
        }
    }

    @Test
    void rampAndSourceAddressesRoundRobin() throws Exception {
        try (ServerSocket server = TestServers.listener(4096); Fleet fleet = new Fleet(2)) {
            acceptLoop(server);
            CollectingListener l = new CollectingListener();
            io.conlimit.plan.ClientOptions opts = new io.conlimit.plan.ClientOptions(new io.conlimit.plan.Probe.Connect(),
                    Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ZERO, io.conlimit.plan.ClientOptions.CloseMode.RST,
                    SourceAddresses.parse("127.0.0.2-127.0.0.4"));
            FleetResult result = fleet.run(TestServers.address(server), opts,
                    List.of(new LoadPhase.Ramp(0, 200, Duration.ofSeconds(1), 0), new LoadPhase.Burst(30)), l, System.nanoTime());
            assertEquals(130, l.started.get(), "ramp 0..200/s over 1 s = 100, then 30");
            assertEquals(130, l.outcomes().get(Outcome.CONNECTED), l.outcomes().toString());
            for (String src : new String[] {"127.0.0.2:", "127.0.0.3:", "127.0.0.4:"}) {
                long n = l.closed().stream().filter(r -> r.local().startsWith(src)).count();
                assertTrue(n >= 40 && n <= 47, src + " used " + n + " times of 130");
            }
            assertTrue(l.closed().stream().allMatch(r -> r.close().equals("rst")));
            assertEquals(List.of("ramp", "burst"), result.phases().stream().map(FleetResult.PhaseResult::kind).toList());
            assertEquals(-1, result.phases().get(0).launchSpreadNanos());
        }
    }

    /**
     * A settle phase waits for every earlier connection's outcome: against a listener that never accepts (backlog 1:
     * two handshakes complete, the other SYNs are dropped until their 1 s connect timeout), the next phase's first
     * connect() comes after the last of phase 0's outcomes; a settle whose maximum passes first says so and moves on.
     */
    @Test
    void settleWaitsForEveryOutcomeOrSaysItDidNot() throws Exception {
        try (ServerSocket server = TestServers.listener(1); Fleet fleet = new Fleet(2)) {
            CollectingListener l = new CollectingListener();
            FleetResult result = fleet.run(TestServers.address(server), TestServers.connectOnly(Duration.ofSeconds(1)),
                    List.of(new LoadPhase.Burst(6), new LoadPhase.Settle(Duration.ofSeconds(10)), new LoadPhase.Burst(1)),
                    l, System.nanoTime());
            long lastDecided = l.closed().stream().filter(r -> r.phase() == 0).mapToLong(ConnectionRecord::decidedNanos).max().orElseThrow();
            long nextCall = l.closed().stream().filter(r -> r.phase() == 2).mapToLong(ConnectionRecord::connectCallNanos).min().orElseThrow();
            assertTrue(l.outcomes().getOrDefault(Outcome.CONNECT_TIMEOUT, 0) >= 1, l.outcomes().toString());
            assertTrue(nextCall >= lastDecided, "phase 2 started " + (lastDecided - nextCall) + " ns before phase 0 settled");
            assertEquals("", result.phases().get(1).note());
            assertEquals("settle", result.phases().get(1).kind());
        }
        try (ServerSocket server = TestServers.listener(1); Fleet fleet = new Fleet(2)) {
            CollectingListener l = new CollectingListener();
            FleetResult result = fleet.run(TestServers.address(server), TestServers.connectOnly(Duration.ofSeconds(1)),
                    List.of(new LoadPhase.Burst(6), new LoadPhase.Settle(Duration.ofMillis(50)), new LoadPhase.Burst(1)),
                    l, System.nanoTime());
            assertTrue(result.phases().get(1).note().matches("\\d+ connections still had no outcome after 50ms; the next phase started anyway"),
                    result.phases().get(1).note());
        }
    }
}
