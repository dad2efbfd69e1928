package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import io.conlimit.plan.ClientOptions;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.conlimit.fleet.TestServers.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every outcome produced for real on loopback and classified. */
@Timeout(60)
class FleetOutcomesTest {
    /** Direct sockets where the options allow them (the connect and banner probes). */
    private static Fleet fleet;
    /** A Netty channel for every connection. */
    private static Fleet channels;

    @BeforeAll
    static void start() {
        fleet = new Fleet(2, true);
        channels = new Fleet(2, false);
        assertEquals("epoll", fleet.transportName(), "these tests read TCP_INFO: the epoll transport must load here");
    }

    @AfterAll
    static void stop() {
        fleet.close();
        channels.close();
    }

    private static CollectingListener one(InetSocketAddress target, io.conlimit.plan.ClientOptions options) throws Exception {
        return one(fleet, target, options);
    }

    private static CollectingListener one(Fleet f, InetSocketAddress target, io.conlimit.plan.ClientOptions options) throws Exception {
        CollectingListener l = new CollectingListener();
        f.run(target, options, List.of(new LoadPhase.Burst(1)), l, System.nanoTime());
        return l;
    }

    private static Fleet on(String path) {
        Fleet f = path.equals("direct") ? fleet : channels;
        assertEquals(path, f.connectPath(TestServers.connectOnly(Duration.ofSeconds(1)), List.of(new LoadPhase.Burst(1))),
                "the connect probe with hold 0");
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "channel"})
    void refusedOnAClosedPort(String path) throws Exception {
        int port = TestServers.closedPort();
        ConnectionRecord r = one(on(path), new InetSocketAddress(LOOPBACK, port), TestServers.connectOnly(Duration.ofSeconds(2))).only();
        assertEquals(Outcome.REFUSED, r.outcome(), r.toString());
        assertEquals(0, r.synRetransmits(), "an RST answers the first SYN: " + r);
        assertEquals("none", r.close());
        assertEquals(-1, r.connectedNanos());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "channel"})
    void connectTimeoutOnAFullAcceptQueueWithItsSynRetransmit(String path) throws Exception {
        try (ServerSocket full = TestServers.listener(1)) {
            // backlog 1 holds max + 1 = 2 connections nobody accepts: the queue is full after these two.
            List<Socket> fill = new ArrayList<>();
            fill.add(TestServers.plainConnect(full));
            fill.add(TestServers.plainConnect(full));
            ConnectionRecord r = one(on(path), TestServers.address(full), TestServers.connectOnly(Duration.ofMillis(1500))).only();
            assertEquals(Outcome.CONNECT_TIMEOUT, r.outcome(), r.toString());
            // The first SYN retransmit leaves at 1 s (initial RTO), before our 1.5 s timer.
            assertTrue(r.synRetransmits() >= 1, "SYN retransmits from TCP_INFO: " + r);
            long waited = r.decidedNanos() - r.connectCallNanos();
            assertTrue(waited >= 1_500_000_000L && waited < 2_500_000_000L, "decided by our 1.5 s timer: " + waited);
            for (Socket s : fill) {
                s.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "channel"})
    void resetWhenTheServerAbortsAfterTheHandshake(String path) throws Exception {
        try (ServerSocket server = TestServers.listener(8)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    // Serve nothing for 200 ms (the client is surely connected by then), then close with RST.
                    s.setSoTimeout(200);
                    try {
                        s.getInputStream().read();
                    } catch (java.net.SocketTimeoutException expected) {
                        // as planned
                    }
                    s.setSoLinger(true, 0);
                } catch (Exception ignored) {
                    // the test fails on the client side if this did not happen
                }
            });
            t.start();
            ConnectionRecord r = one(on(path), TestServers.address(server),
                    TestServers.options(new Probe.Banner(), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ZERO)).only();
            t.join(5000);
            assertEquals(Outcome.RESET, r.outcome(), r.toString());
            assertEquals("peer-rst", r.close());
            assertTrue(r.connectedNanos() > 0, "the handshake completed first: " + r);
            assertEquals(0, r.synRetransmits());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "channel"})
    void connectedUnservedWhenTheServerNeverAnswers(String path) throws Exception {
        try (ServerSocket server = TestServers.listener(8)) {
            List<Socket> accepted = new ArrayList<>();
            Thread t = new Thread(() -> {
                try {
                    accepted.add(server.accept()); // accepts, never writes
                } catch (Exception ignored) {
                    // closed by the test
                }
            });
            t.start();
            ConnectionRecord r = one(on(path), TestServers.address(server),
                    TestServers.options(new Probe.Banner(), Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ZERO)).only();
            assertEquals(Outcome.CONNECTED_UNSERVED, r.outcome(), r.toString());
            assertEquals(-1, r.firstByteNanos());
            long waited = r.decidedNanos() - r.connectedNanos();
            assertTrue(waited >= 300_000_000L && waited < 1_300_000_000L, "response timeout 300 ms: " + waited);
            assertEquals("fin", r.close());
            t.join(5000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "channel"})
    void okWithBannerRecordsTheFirstByte(String path) throws Exception {
        try (ServerSocket server = TestServers.listener(8)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write("220 hello\r\n".getBytes());
                    s.getInputStream().read(); // until the client closes
                } catch (Exception ignored) {
                    // the client side asserts
                }
            });
            t.start();
            ConnectionRecord r = one(on(path), TestServers.address(server),
                    TestServers.options(new Probe.Banner(), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ZERO)).only();
            t.join(5000);
            assertEquals(Outcome.OK, r.outcome(), r.toString());
            assertTrue(r.firstByteNanos() >= r.connectedNanos() && r.connectedNanos() > 0, r.toString());
            assertEquals("fin", r.close());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "channel"})
    void aFailingListenerFailsTheRunWithoutHangingIt(String path) throws Exception {
        int port = TestServers.closedPort();
        CollectingListener inner = new CollectingListener();
        FleetListener throwing = new FleetListener() {
            @Override
            public void started(int phase, long intendedNanos, long connectCallNanos) {
                inner.started(phase, intendedNanos, connectCallNanos);
            }

            @Override
            public void decided(ConnectionRecord record) {
                throw new IllegalStateException("listener broke");
            }

            @Override
            public void closed(ConnectionRecord record) {
                inner.closed(record);
            }
        };
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> on(path).run(new InetSocketAddress(LOOPBACK, port), TestServers.connectOnly(Duration.ofSeconds(2)),
                        List.of(new LoadPhase.Burst(3)), throwing, System.nanoTime()));
        assertTrue(e.getMessage().contains("listener broke"), e.getMessage());
        assertEquals(3, inner.closed().size(), "every connection still settled");
    }

    /** An ok record on either path: its times in order, its local address, no SYN retransmit, closed our way. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"direct,FIN", "direct,RST", "channel,FIN", "channel,RST"})
    void okRecordsTheHandshakeTheLocalAddressAndTheClose(String path, ClientOptions.CloseMode close) throws Exception {
        try (ServerSocket server = TestServers.listener(8)) { // nobody accepts: the kernel completes the handshake
            ClientOptions options = new ClientOptions(new Probe.Connect(), Duration.ofSeconds(2), Duration.ofSeconds(1),
                    Duration.ZERO, close, List.of());
            ConnectionRecord r = one(on(path), TestServers.address(server), options).only();
            assertEquals(Outcome.CONNECTED, r.outcome(), r.toString());
            assertTrue(r.connectCallNanos() >= r.intendedNanos() && r.connectedNanos() >= r.connectCallNanos()
                    && r.decidedNanos() >= r.connectedNanos() && r.closedNanos() >= r.decidedNanos(), r.toString());
            assertEquals(0, r.synRetransmits(), "an empty queue answers the first SYN: " + r);
            assertTrue(r.local().matches("127\\.0\\.0\\.1:[1-9][0-9]*"), "local address: " + r);
            assertEquals(close == ClientOptions.CloseMode.RST ? "rst" : "fin", r.close());
            assertEquals("", r.detail());
        }
    }

    @Test
    void connectPathNamesWhatThePhasesUse() {
        ClientOptions connect = TestServers.connectOnly(Duration.ofSeconds(1));
        LoadPhase burst = new LoadPhase.Burst(1);
        LoadPhase probe = new LoadPhase.HoldProbe(Duration.ofMillis(10), 5, 3);
        assertEquals("direct", fleet.connectPath(connect, List.of(burst)));
        assertEquals("channel", fleet.connectPath(connect, List.of(probe)), "the hold probe keeps what it counts");
        assertEquals("mixed", fleet.connectPath(connect, List.of(burst, probe)));
        assertEquals("direct", fleet.connectPath(TestServers.options(new Probe.Banner(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ZERO), List.of(burst)), "the banner probe reads its first bytes on a bare socket");
        assertEquals("direct", fleet.connectPath(TestServers.options(new Probe.Connect(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1)), List.of(burst)), "a hold");
        assertEquals("direct", fleet.connectPath(TestServers.options(new Probe.Banner(), Duration.ofSeconds(1),
                Duration.ofSeconds(1), null), List.of(burst)), "held until the end");
        assertEquals("channel", fleet.connectPath(TestServers.options(new Probe.Http("", ""), Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ZERO), List.of(burst)), "a probe that writes");
        assertEquals("channel", channels.connectPath(connect, List.of(burst)), "direct sockets switched off");
    }
}
