package io.conlimit.fleet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.conlimit.fleet.ConnectionState.CLOSED;
import static io.conlimit.fleet.ConnectionState.CONNECTED;
import static io.conlimit.fleet.ConnectionState.CONNECTING;
import static io.conlimit.fleet.ConnectionState.DECIDED;
import static io.conlimit.fleet.ConnectionState.HELD;
import static io.conlimit.fleet.ConnectionState.NEW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection state machine both connect paths share, and its event-loop rule. */
class ConnectionStateTest {
    private static Transport transport;

    @BeforeAll
    static void start() {
        transport = new Transport(1);
    }

    @AfterAll
    static void stop() {
        transport.shutdown();
    }

    private static RunContext run() {
        return new RunContext(transport, new InetSocketAddress(InetAddress.getLoopbackAddress(), 9),
                TestServers.connectOnly(Duration.ofSeconds(1)), new CollectingListener(), System.nanoTime(), false);
    }

    @Test
    void theMovesAllowedAreExactlyThese() {
        Map<ConnectionState, Set<ConnectionState>> allowed = Map.of(
                NEW, EnumSet.of(CONNECTING, DECIDED),
                CONNECTING, EnumSet.of(CONNECTED, DECIDED),
                CONNECTED, EnumSet.of(DECIDED),
                DECIDED, EnumSet.of(HELD, CLOSED),
                HELD, EnumSet.of(CLOSED),
                CLOSED, EnumSet.noneOf(ConnectionState.class));
        for (ConnectionState from : ConnectionState.values()) {
            for (ConnectionState to : ConnectionState.values()) {
                assertEquals(allowed.get(from).contains(to), from.canGo(to), from + " -> " + to);
            }
        }
    }

    @Test
    void aMoveOnItsLoopAlongTheMachineIsNoError() throws Exception {
        RunContext run = run();
        io.netty.channel.EventLoop loop = transport.loops().get(0);
        ConnectionTrace t = new ConnectionTrace(run, new PhaseStats(0, "t", false), 7, null, loop);
        loop.submit(() -> {
            t.to(CONNECTING);
            t.connectedNow();
            t.decide(Outcome.CONNECTED, "");
            t.to(HELD);
            t.to(CLOSED);
        }).get();
        assertNull(run.internalError.get());
        assertEquals(CLOSED, loop.submit(t::state).get());
    }

    @Test
    void aMoveOffItsLoopIsAnInternalError() {
        RunContext run = run();
        ConnectionTrace t = new ConnectionTrace(run, new PhaseStats(0, "t", false), 7, null, transport.loops().get(0));
        t.to(CONNECTING); // the test thread, not the loop
        String e = run.internalError.get();
        assertTrue(e != null && e.startsWith("connection 7 moved from NEW to CONNECTING off its event loop, on thread "), e);
    }

    @Test
    void aMoveTheMachineDoesNotAllowIsAnInternalError() throws Exception {
        RunContext run = run();
        io.netty.channel.EventLoop loop = transport.loops().get(0);
        ConnectionTrace t = new ConnectionTrace(run, new PhaseStats(0, "t", false), 8, null, loop);
        loop.submit(() -> t.to(CLOSED)).get();
        assertEquals("connection 8 moved from NEW to CLOSED, which the state machine does not allow", run.internalError.get());
    }

    /** Both paths, every connection of a real run moves only on its loop and along the machine (else the run throws). */
    @Test
    void realRunsKeepTheRules() throws Exception {
        for (boolean direct : new boolean[] {true, false}) {
            try (ServerSocket server = TestServers.listener(4); Fleet fleet = new Fleet(2, direct)) {
                CollectingListener l = new CollectingListener();
                fleet.run(TestServers.address(server), TestServers.connectOnly(Duration.ofMillis(1200)),
                        List.of(new io.conlimit.plan.LoadPhase.Burst(20)), l, System.nanoTime());
                assertEquals(20, l.closed().size(), "direct " + direct);
            }
        }
    }
}
