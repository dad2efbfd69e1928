package io.conlimit.fleet;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static io.conlimit.fleet.WireAnswers.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The protocol probes through the fleet against tiny loopback servers written here, each answering with real
 * protocol bytes: the outcome counts and details are exact.
 */
@Timeout(60)
class ProtocolProbesTest {
    private static Fleet fleet;
    private LoopbackServer server;

    @BeforeAll
    static void start() {
        fleet = new Fleet(1);
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @AfterEach
    void closeServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** What the server does with its i-th connection (0-based): read the request, answer. */
    interface Handler {
        void handle(int i, Socket s) throws IOException;
    }

    /**
     * Accepts up to {@code max} connections on loopback, one thread, each handled in turn and then kept open
     * (the client closes); everything is closed by {@link #close()}. Records each connection's request bytes.
     */
    static final class LoopbackServer implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> accepted = new CopyOnWriteArrayList<>();
        final List<byte[]> requests = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> done;

        LoopbackServer(int max, Handler handler) throws IOException {
            socket = TestServers.listener(max + 4);
            done = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < max; i++) {
                    try {
                        Socket s = socket.accept();
                        accepted.add(s);
                        handler.handle(i, s);
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        @Override
        public void close() throws Exception {
            socket.close();
            for (Socket s : accepted) {
                s.close();
            }
            done.get(10, TimeUnit.SECONDS);
        }
    }

    private static Handler greet(byte[] served, byte[] refused, int servedCount) {
        return (i, s) -> s.getOutputStream().write(i < servedCount ? served : refused);
    }

    /** Reads the request up to and including {@code end}, then answers. */
    private Handler readLineThen(byte[] served, byte[] refused, int servedCount) {
        return (i, s) -> {
            InputStream in = s.getInputStream();
            StringBuilder req = new StringBuilder();
            int b;
            while ((b = in.read()) >= 0) {
                req.append((char) b);
                if (req.toString().endsWith("\r\n\r\n") || !req.toString().startsWith("GET") && req.toString().endsWith("\r\n")) {
                    break;
                }
            }
            server.requests.add(ascii(req.toString()));
            s.getOutputStream().write(i < servedCount ? served : refused);
        };
    }

    private CollectingListener run(Probe probe, int burst, Duration hold) throws Exception {
        CollectingListener l = new CollectingListener();
        fleet.run(TestServers.address(server.socket), new ClientOptions(probe, Duration.ofSeconds(2), Duration.ofSeconds(3),
                hold, ClientOptions.CloseMode.FIN, List.of()), List.of(new LoadPhase.Burst(burst)), l, System.nanoTime());
        return l;
    }

    private static List<String> details(CollectingListener l, Outcome o) {
        List<String> out = new ArrayList<>();
        for (ConnectionRecord r : l.decided()) {
            if (r.outcome() == o) {
                out.add(r.detail());
            }
        }
        return out;
    }

    @Test
    void mysqlAtMaxConnectionsIsRefusedNotServed() throws Exception {
        server = new LoopbackServer(4, greet(WireAnswers.mariadbGreeting(), WireAnswers.mysqlTooManyConnections(), 2));
        CollectingListener l = run(new Probe.Mysql(), 4, Duration.ZERO);
        assertEquals(Map.of(Outcome.OK, 2, Outcome.APP_REFUSED, 2), nonZero(l.outcomes()), l.decided().toString());
        assertEquals(List.of("mysql 5.5.5-10.11.6-MariaDB-0+deb12u1", "mysql 5.5.5-10.11.6-MariaDB-0+deb12u1"), details(l, Outcome.OK));
        assertEquals(List.of("mysql error 1040: Too many connections", "mysql error 1040: Too many connections"), details(l, Outcome.APP_REFUSED));
    }

    @Test
    void postgresReadsTheStartupMessageAndAnswers() throws Exception {
        server = new LoopbackServer(3, (i, s) -> {
            DataInputStream in = new DataInputStream(s.getInputStream());
            int length = in.readInt();
            byte[] rest = new byte[length - 4];
            in.readFully(rest);
            server.requests.add(rest);
            s.getOutputStream().write(i == 0 ? WireAnswers.pgAuthSasl() : WireAnswers.pgError("53300", "sorry, too many clients already"));
        });
        CollectingListener l = run(new Probe.Postgres("app", "sales"), 3, Duration.ZERO);
        assertEquals(Map.of(Outcome.OK, 1, Outcome.APP_REFUSED, 2), nonZero(l.outcomes()), l.decided().toString());
        assertEquals(List.of("postgres authentication request (SASL)"), details(l, Outcome.OK));
        assertEquals(List.of("postgres 53300: sorry, too many clients already", "postgres 53300: sorry, too many clients already"),
                details(l, Outcome.APP_REFUSED));
        assertArrayEquals(ascii("\0\3\0\0user\0app\0database\0sales\0\0"), server.requests.get(0));
    }

    @Test
    void redisMaxClientsIsRefused() throws Exception {
        server = new LoopbackServer(3, readLineThen(ascii("+PONG\r\n"), ascii("-ERR max number of clients reached\r\n"), 1));
        CollectingListener l = run(new Probe.Redis(), 3, Duration.ZERO);
        assertEquals(Map.of(Outcome.OK, 1, Outcome.APP_REFUSED, 2), nonZero(l.outcomes()), l.decided().toString());
        assertEquals(List.of("redis: -ERR max number of clients reached", "redis: -ERR max number of clients reached"),
                details(l, Outcome.APP_REFUSED));
        assertEquals("PING\r\n", new String(server.requests.get(0), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void memcachedTooManyOpenConnectionsIsRefused() throws Exception {
        server = new LoopbackServer(2, readLineThen(ascii("VERSION 1.6.21\r\n"), ascii("ERROR Too many open connections\r\n"), 1));
        CollectingListener l = run(new Probe.Memcached(), 2, Duration.ZERO);
        assertEquals(Map.of(Outcome.OK, 1, Outcome.APP_REFUSED, 1), nonZero(l.outcomes()), l.decided().toString());
        assertEquals(List.of("memcached: VERSION 1.6.21"), details(l, Outcome.OK));
        assertEquals(List.of("memcached: ERROR Too many open connections"), details(l, Outcome.APP_REFUSED));
    }

    @Test
    void smtp421IsRefused() throws Exception {
        server = new LoopbackServer(2, greet(ascii("220 mx.test ESMTP\r\n"), ascii("421 4.7.0 mx.test too many connections\r\n"), 1));
        CollectingListener l = run(new Probe.Smtp(), 2, Duration.ZERO);
        assertEquals(Map.of(Outcome.OK, 1, Outcome.APP_REFUSED, 1), nonZero(l.outcomes()), l.decided().toString());
        assertEquals(List.of("smtp 421 4.7.0 mx.test too many connections"), details(l, Outcome.APP_REFUSED));
    }

    @Test
    void http503IsRefusedAndHeldConnectionsAskForKeepAlive() throws Exception {
        server = new LoopbackServer(2, readLineThen(ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
                ascii("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"), 1));
        CollectingListener l = run(new Probe.Http("/health", "web.test"), 2, Duration.ofMillis(50));
        assertEquals(Map.of(Outcome.OK, 1, Outcome.APP_REFUSED, 1), nonZero(l.outcomes()), l.decided().toString());
        assertEquals(List.of("http 200"), details(l, Outcome.OK));
        assertEquals(List.of("http 503"), details(l, Outcome.APP_REFUSED));
        assertEquals("GET /health HTTP/1.1\r\nHost: web.test\r\n\r\n", new String(server.requests.get(0), java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void requestPatternsDecideServedRefusedAndNeither() throws Exception {
        server = new LoopbackServer(3, (i, s) -> {
            InputStream in = s.getInputStream();
            for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
                // the request line
            }
            s.getOutputStream().write(ascii(switch (i) {
                case 0 -> "VERSION 1.6.21\r\n";
                case 1 -> "ERROR Too many open connections\r\n";
                default -> "STORED\r\n";
            }));
        });
        Probe p = new Probe.Request(ascii("version\r\n"), 0, ascii("\r\n"), "^VERSION", "^ERROR");
        CollectingListener l = run(p, 3, Duration.ZERO);
        assertEquals(Map.of(Outcome.OK, 1, Outcome.APP_REFUSED, 1, Outcome.ERROR, 1), nonZero(l.outcomes()), l.decided().toString());
        assertEquals(List.of("refused pattern: ERROR Too many open connections"), details(l, Outcome.APP_REFUSED));
        assertEquals(List.of("answer matched neither served nor refused pattern: STORED"), details(l, Outcome.ERROR));
    }

    private static Map<Outcome, Integer> nonZero(Map<Outcome, Integer> all) {
        Map<Outcome, Integer> out = new java.util.EnumMap<>(Outcome.class);
        all.forEach((k, v) -> {
            if (v != 0) {
                out.put(k, v);
            }
        });
        return out;
    }
}
