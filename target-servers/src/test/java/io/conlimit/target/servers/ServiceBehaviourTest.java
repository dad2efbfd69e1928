package io.conlimit.target.servers;

import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import io.conlimit.target.TargetServer;
import io.conlimit.target.TargetServers;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.conlimit.target.Probes.assertNoServerThreads;
import static io.conlimit.target.Probes.connect;
import static io.conlimit.target.Probes.serverThreads;
import static io.conlimit.target.Probes.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Banner, echo, respond, hold and close() on every kind. */
class ServiceBehaviourTest {

    private static ServerConfig.Builder base(ServerKind kind) {
        return ServerConfig.builder(kind).workers(2).acceptDelay(Duration.ofMillis(1)).banner(null); // these tests say what they send
    }

    private static BufferedReader reader(Socket s) throws Exception {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void bannerThenEchoUntilThePeerCloses(ServerKind kind) throws Exception {
        try (TargetServer server = TargetServers.start(base(kind).banner("HELLO conlimit").echo(true)
                .hold(new HoldSpec.Forever()).build());
             Socket s = connect(server.address(), 5_000)) {
            s.setSoTimeout(10_000);
            BufferedReader in = reader(s);
            assertEquals("HELLO conlimit", in.readLine(), "banner, CRLF-terminated");
            OutputStream out = s.getOutputStream();
            out.write("ping one\nping two\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertEquals("ping one", in.readLine());
            assertEquals("ping two", in.readLine());
            s.shutdownOutput();
            assertNull(in.readLine(), "forever ends when the peer closes: the server closes too");
            waitUntil(() -> server.stats().served() == 1 && server.stats().closed() == 1, Duration.ofSeconds(10),
                    () -> "served 1 closed 1, stats " + server.stats());
            assertEquals(0, server.stats().inService());
        }
        assertNoServerThreads();
    }

    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void respondAnswersEachLineThenTheHoldEnds(ServerKind kind) throws Exception {
        try (TargetServer server = TargetServers.start(base(kind).respond("OK")
                .hold(new HoldSpec.Fixed(Duration.ofMillis(1500))).build());
             Socket s = connect(server.address(), 5_000)) {
            s.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            OutputStream out = s.getOutputStream();
            out.write("a\nbb\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            byte[] expected = "OK\r\nOK\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] got = s.getInputStream().readNBytes(expected.length);
            assertEquals(new String(expected, StandardCharsets.US_ASCII), new String(got, StandardCharsets.US_ASCII));
            assertEquals(-1, s.getInputStream().read(), "closed after the hold");
            long heldMillis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(heldMillis >= 1400, "held " + heldMillis + " ms of 1500 (100 ms for the connect's head start)");
            waitUntil(() -> server.stats().served() == 1, Duration.ofSeconds(10), () -> "served 1, stats " + server.stats());
        }
        assertNoServerThreads();
    }

    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void zeroHoldClosesAfterTheBanner(ServerKind kind) throws Exception {
        try (TargetServer server = TargetServers.start(base(kind).banner("BYE\n").build());
             Socket s = connect(server.address(), 5_000)) {
            s.setSoTimeout(10_000);
            BufferedReader in = reader(s);
            assertEquals("BYE", in.readLine(), "a text ending in a newline is sent as it is");
            assertNull(in.readLine());
            waitUntil(() -> server.stats().closed() == 1, Duration.ofSeconds(10), () -> "closed 1, stats " + server.stats());
            assertEquals(1, server.stats().served());
        }
        assertNoServerThreads();
    }

    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void closeEndsHeldConnectionsAndEveryThread(ServerKind kind) throws Exception {
        TargetServer server = TargetServers.start(base(kind).hold(new HoldSpec.Forever()).build());
        Socket a = connect(server.address(), 5_000);
        Socket b = connect(server.address(), 5_000);
        try {
            waitUntil(() -> server.stats().inService() == 2, Duration.ofSeconds(10), () -> "2 in service, stats " + server.stats());
            assertFalse(serverThreads().isEmpty(), "the server runs threads named conlimit-*");
            server.close();
            server.close(); // idempotent
            a.setSoTimeout(10_000);
            b.setSoTimeout(10_000);
            assertEquals(-1, a.getInputStream().read(), "closed by the server");
            assertEquals(-1, b.getInputStream().read(), "closed by the server");
            assertEquals(2, server.stats().closed());
            assertEquals(0, server.stats().inService());
            assertEquals(0, server.stats().served(), "forever was cut short by the stop, not completed");
        } finally {
            a.close();
            b.close();
        }
        assertNoServerThreads();
    }
}
