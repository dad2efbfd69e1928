package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** request and http probes against one-shot servers written here; RST close mode. */
@Timeout(60)
class ProbesTest {
    private static Fleet fleet;

    @BeforeAll
    static void start() {
        fleet = new Fleet(1);
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    /** Accepts one connection, reads the request until {@code until}, answers {@code answer} in two writes, keeps it open until the client closes. */
    private static CompletableFuture<String> serveOnce(ServerSocket server, String until, String... answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                StringBuilder req = new StringBuilder();
                while (!req.toString().endsWith(until)) {
                    int b = in.read();
                    if (b < 0) {
                        break;
                    }
                    req.append((char) b);
                }
                for (String part : answer) {
                    s.getOutputStream().write(part.getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
                while (in.read() >= 0) {
                    // until the client closes
                }
                return req.toString();
            } catch (Exception e) {
                return "server failed: " + e;
            }
        });
    }

    private static ConnectionRecord one(ServerSocket server, Probe probe, io.conlimit.plan.ClientOptions.CloseMode mode) throws Exception {
        CollectingListener l = new CollectingListener();
        fleet.run(TestServers.address(server), new io.conlimit.plan.ClientOptions(probe, Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ZERO, mode, List.of()), List.of(new LoadPhase.Burst(1)), l, System.nanoTime());
        return l.only();
    }

    @Test
    void requestWaitsForTheDelimiterAcrossWrites() throws Exception {
        try (ServerSocket server = TestServers.listener(4)) {
            CompletableFuture<String> req = serveOnce(server, "\r\n", "VERSION 1.6", ".21\r", "\n");
            ConnectionRecord r = one(server, new Probe.Request("version\r\n".getBytes(StandardCharsets.US_ASCII), 0,
                    "\r\n".getBytes(StandardCharsets.US_ASCII)), io.conlimit.plan.ClientOptions.CloseMode.FIN);
            assertEquals(Outcome.OK, r.outcome(), r.toString());
            assertEquals("version\r\n", req.get());
            assertTrue(r.firstByteNanos() > r.connectedNanos());
            assertEquals("fin", r.close());
        }
    }

    @Test
    void requestWithoutTheDelimiterIsUnserved() throws Exception {
        try (ServerSocket server = TestServers.listener(4)) {
            serveOnce(server, "\n", "partial answer, no end");
            ConnectionRecord r = one(server, new Probe.Request("x\n".getBytes(StandardCharsets.US_ASCII), 0,
                    "END".getBytes(StandardCharsets.US_ASCII)), io.conlimit.plan.ClientOptions.CloseMode.RST);
            assertEquals(Outcome.CONNECTED_UNSERVED, r.outcome(), r.toString());
            assertTrue(r.firstByteNanos() > 0, "a first byte came, the answer did not");
            assertEquals("rst", r.close());
        }
    }

    @Test
    void httpReadsTheStatusLine() throws Exception {
        try (ServerSocket server = TestServers.listener(4)) {
            CompletableFuture<String> req = serveOnce(server, "\r\n\r\n", "HTTP/1.1 20", "4 No Content\r\n\r\n");
            ConnectionRecord r = one(server, new Probe.Http("/health", "example.test"), io.conlimit.plan.ClientOptions.CloseMode.FIN);
            assertEquals(Outcome.OK, r.outcome(), r.toString());
            assertEquals("http 204", r.detail());
            assertEquals("GET /health HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n", req.get());
        }
    }

    @Test
    void notHttpIsAnError() throws Exception {
        try (ServerSocket server = TestServers.listener(4)) {
            serveOnce(server, "\r\n\r\n", "SSH-2.0-OpenSSH_9.6\r\n");
            ConnectionRecord r = one(server, new Probe.Http("/", "h"), io.conlimit.plan.ClientOptions.CloseMode.FIN);
            assertEquals(Outcome.ERROR, r.outcome(), r.toString());
            assertTrue(r.detail().startsWith("not an HTTP status line"), r.detail());
        }
    }
}
