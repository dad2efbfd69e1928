package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet's common start: the first phase that connects passes the start gate once (a burst and the hold probe on
 * the event loop that makes their first connect(): no hand-off between the instant and that call), and no connect()
 * is called before it opens.
 */
@Timeout(60)
class StartGateTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"burst", "rate", "hold-probe", "pause-then-burst"})
    void noConnectBeforeTheGateOpensAndTheGateRunsOnceOnAnEventLoop(String shape) throws Exception {
        List<LoadPhase> phases = switch (shape) {
            case "burst" -> List.of(new LoadPhase.Burst(6), new LoadPhase.Burst(2));
            case "rate" -> List.of(new LoadPhase.Rate(200, Duration.ofMillis(50), false));
            case "hold-probe" -> List.of(new LoadPhase.HoldProbe(Duration.ofMillis(5), 3, 2));
            default -> List.of(new LoadPhase.Pause(Duration.ofMillis(10)), new LoadPhase.Burst(4));
        };
        long epoch = System.nanoTime();
        AtomicInteger gates = new AtomicInteger();
        AtomicLong opened = new AtomicLong(-1);
        AtomicReference<String> thread = new AtomicReference<>();
        AtomicInteger preparedAtGate = new AtomicInteger(-1);
        int before = unconnectedSockets();
        Runnable gate = () -> {
            gates.incrementAndGet();
            preparedAtGate.set(unconnectedSockets() - before);
            thread.set(Thread.currentThread().getName());
            long until = System.nanoTime() + 200_000_000L; // an instant 200 ms ahead, waited for as StartAt does
            for (long left; (left = until - System.nanoTime()) > 0; ) {
                LockSupport.parkNanos(left);
            }
            opened.set(System.nanoTime() - epoch);
        };
        try (ServerSocket server = TestServers.listener(64); Fleet fleet = new Fleet(2, true).startGate(gate)) {
            CollectingListener l = new CollectingListener();
            fleet.run(TestServers.address(server), TestServers.connectOnly(Duration.ofSeconds(2)), phases, l, epoch);
            assertEquals(1, gates.get(), "the gate runs once, before the first phase that connects");
            // a burst and the hold probe pass it on the loop of their first connect(); a rate's pacers start a lead
            // time after it (PacedPhase.LEAD_NANOS), so it is passed where the phase is driven; a pause is no load
            boolean onLoop = thread.get().startsWith("conlimit-fleet");
            assertEquals(shape.equals("burst") || shape.equals("hold-probe"), onLoop, "the gate ran on " + thread.get());
            assertTrue(l.started.get() > 0, "connections were made");
            // what follows the instant is connect() alone: a burst's sockets and the hold probe's first channel exist
            // (created, registered) when the gate opens; a rate creates each socket at its intended start, and a
            // first phase that connects nothing (the pause) passes the gate before any socket is made
            int prepared = switch (shape) {
                case "burst" -> 6;
                case "hold-probe" -> 1;
                default -> 0;
            };
            assertEquals(prepared, preparedAtGate.get(), "sockets created and not yet connected when the gate opened");
            for (long[] s : l.starts()) {
                assertTrue(s[2] >= opened.get(), "connect() at " + s[2] + " ns, the gate opened at " + opened.get());
            }
        }
    }

    /**
     * This process's sockets that are in no /proc/net/tcp or tcp6 row: created and not yet connected or listening
     * (also any non-TCP socket, which the caller's baseline takes out).
     */
    private static int unconnectedSockets() {
        try {
            Set<String> inTables = new HashSet<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path t = Path.of(table);
                if (Files.exists(t)) {
                    for (String row : Files.readAllLines(t)) {
                        String[] f = row.trim().split("\\s+");
                        if (f.length > 9) {
                            inTables.add(f[9]);
                        }
                    }
                }
            }
            int n = 0;
            try (var fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path fd : fds) {
                    String link;
                    try {
                        link = Files.readSymbolicLink(fd).toString();
                    } catch (IOException closedMeanwhile) {
                        continue;
                    }
                    if (link.startsWith("socket:[") && !inTables.contains(link.substring(8, link.length() - 1))) {
                        n++;
                    }
                }
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
