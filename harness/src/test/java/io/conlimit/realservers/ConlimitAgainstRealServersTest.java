package io.conlimit.realservers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * conlimit itself against the real servers of this package: {@code run --target 127.0.0.1:PORT --hold-probe
 * --probe P --hold until-end}, in process, reading summary.json. Each server is started by its fixture with
 * the limit the fixture's test proved with plain sockets; conlimit must find the same number.
 *
 * <p>With the protocol-aware probes ({@code --probe http} keep-alive when held, {@code mysql},
 * {@code memcached}, {@code redis}) and the socket census (the server kernel observed on loopback).
 */
@Tag("real-server")
class ConlimitAgainstRealServersTest {

    @TempDir
    Path tmp;
    ServerProcess server;
    String console = "";

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Runs {@code conlimit run ARGS --out tmp/out} in process (the server's kernel observed: the census); returns summary.json. */
    private JsonNode conlimit(String... args) throws IOException {
        return conlimitTo("conlimit-out", args);
    }

    /** As {@link #conlimit}, into {@code tmp/OUT} (a test that runs conlimit twice). */
    private JsonNode conlimitTo(String outName, String... args) throws IOException {
        Path out = tmp.resolve(outName);
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        all.addAll(List.of("--out", out.toString())); // with the server kernel observed: the socket census
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code;
        try {
            System.setOut(capture);
            System.setErr(capture);
            picocli.CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(capture, true));
            cl.setErr(new PrintWriter(capture, true));
            code = cl.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        console = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(Files.exists(out.resolve("summary.json")), "exit " + code + ", no summary.json:\n" + console + "\n" + server.logText());
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    private String why(JsonNode s) {
        return s.toPrettyString() + "\n" + console;
    }

    private static long outcome(JsonNode s, String key) {
        return s.path("outcomes").path(key).asLong();
    }

    private String target() {
        return "127.0.0.1:" + server.port;
    }

    @Test
    void apacheConnectOnlyHoldProbeCountsWPlusBPlusOneHandshakesThenConnectTimeouts() throws IOException {
        // runs today: the connect probe needs no protocol. W children block reading, B + 1 wait in the queue
        server = ApachePrefork.start(tmp.resolve("srv"), ApachePreforkTest.W, ApachePreforkTest.B, false);
        JsonNode s = conlimit("--target", target(), "--hold-probe", "--probe", "connect", "--hold", "until-end",
                "--gap", "5ms", "--stop-after", "2", "--max-held", "100", "--connect-timeout", "700ms");
        int held = ApachePreforkTest.W + ApachePreforkTest.B + 1;
        assertEquals(held, outcome(s, "connected"), why(s));
        assertEquals(2, outcome(s, "connect-timeout"), why(s));
        assertEquals(held, s.path("held_max").asLong(), why(s));
    }

    @Test
    void apacheWithTheDefaultAcceptFilterAConnectOnlyHoldProbeCountsTheSynQueueAndSynCookiesToo() throws IOException {
        // TCP_DEFER_ACCEPT: the first B + 1 bare handshakes sit in SYN-RECV server-side (the SYN queue, no worker);
        // with that queue full the kernel answers with SYN cookies, and a cookie's ACK creates the connection
        // at once, past the deferral: W children take two, B + 1 wait in the accept queue; then SYNs are dropped.
        // So the connect probe reports 2(B + 1) + W = 10 "connected" where the prefork limit is W + B + 1 = 6.
        assumeTrue("1".equals(sysctl("net/ipv4/tcp_syncookies")), "needs net.ipv4.tcp_syncookies = 1 (the default)");
        int w = ApachePreforkTest.W;
        int b = ApachePreforkTest.B;
        server = ApachePrefork.start(tmp.resolve("srv"), w, b, true);
        JsonNode s = conlimit("--target", target(), "--hold-probe", "--probe", "connect", "--hold", "until-end",
                "--gap", "5ms", "--stop-after", "2", "--max-held", "100", "--connect-timeout", "700ms");
        assertEquals(2L * (b + 1) + w, outcome(s, "connected"), why(s));
        assertEquals(2, outcome(s, "connect-timeout"), why(s));
        // the socket census sees through it: the B + 1 deferred ones are half-open on the server
        JsonNode census = s.path("server_sockets");
        assertEquals(2L * (b + 1) + w, census.path("client_connected").asLong(), census.toString());
        assertEquals(b + 1, census.path("server_syn_recv").asLong(), census.toString());
        assertEquals(b + 1 + w, census.path("server_has").asLong(), census.toString());
        assertEquals("disagree", s.path("consistency").path("status").asText(), s.path("consistency").toString());
    }

    private static String sysctl(String name) throws IOException {
        return Files.readString(Path.of("/proc/sys", name)).trim();
    }

    @Test
    void mariaDbMaxConnections10IsElevenOkAndTheRestAppRefused() throws IOException {
        server = MariaDb.start(tmp.resolve("srv"), 10);
        JsonNode s = conlimit("--target", target(), "--hold-probe", "--probe", "mysql", "--hold", "until-end",
                "--gap", "5ms", "--stop-after", "3", "--max-held", "100");
        assertEquals(11, outcome(s, "ok"), why(s));
        assertEquals(3, outcome(s, "app-refused"), why(s));
        assertEquals(11, s.path("held_max").asLong(), why(s));
        assertEquals("application", s.path("limit").path("binding").asText(), "refused after accepting: its own limit binds\n" + why(s));
        String rows = Files.readString(tmp.resolve("conlimit-out").resolve("connections.csv"));
        assertTrue(rows.contains("mysql error 1040"), "each refusal's detail names the error code\n" + rows);
    }

    @Test
    void memcachedC20IsEightOkAndTheRestAppRefused() throws IOException {
        server = Memcached.start(tmp.resolve("srv"), 20);
        JsonNode s = conlimit("--target", target(), "--hold-probe", "--probe", "memcached", "--hold", "until-end",
                "--gap", "5ms", "--stop-after", "3", "--max-held", "100");
        assertEquals(20 - Memcached.RESERVED, outcome(s, "ok"), why(s));
        assertEquals(3, outcome(s, "app-refused"), why(s));
        assertEquals(20 - Memcached.RESERVED, s.path("held_max").asLong(), why(s));
        assertEquals("application", s.path("limit").path("binding").asText(), "refused after accepting: its own limit binds\n" + why(s));
    }

    @Test
    void memcachedBurstPastTheLimitIsEightOkAndTheRestAppRefused() throws IOException {
        server = Memcached.start(tmp.resolve("srv"), 20);
        JsonNode s = conlimit("--target", target(), "--burst", "20", "--probe", "memcached", "--hold", "until-end");
        assertEquals(20 - Memcached.RESERVED, outcome(s, "ok"), why(s));
        assertEquals(20 - (20 - Memcached.RESERVED), outcome(s, "app-refused"), why(s));
    }

    @Test
    void redisMaxClients10IsTenOkAndTheRestAppRefused() throws IOException {
        server = Redis.start(tmp.resolve("srv"), RedisTest.M);
        JsonNode s = conlimit("--target", target(), "--hold-probe", "--probe", "redis", "--hold", "until-end",
                "--gap", "5ms", "--stop-after", "3", "--max-held", "100");
        assertEquals(RedisTest.M, outcome(s, "ok"), why(s));
        assertEquals(3, outcome(s, "app-refused"), why(s));
        assertEquals(RedisTest.M, s.path("held_max").asLong(), why(s));
        assertEquals("application", s.path("limit").path("binding").asText(), "refused after accepting: its own limit binds\n" + why(s));
    }

    @Test
    void postgresMaxConnections5IsFiveOkAndTheRestAppRefusedWith53300() throws IOException {
        server = PostgreSql.start(tmp.resolve("srv"), PostgreSqlTest.M);
        // a gap of 100 ms: the refusal comes from a forked backend after it read the startup packet
        JsonNode s = conlimit("--target", target(), "--hold-probe", "--probe", "postgres:" + PostgreSql.USER + "/" + PostgreSql.DATABASE,
                "--hold", "until-end", "--gap", "100ms", "--stop-after", "3", "--max-held", "100");
        assertEquals(PostgreSqlTest.M, outcome(s, "ok"), why(s));
        assertEquals(3, outcome(s, "app-refused"), why(s));
        assertEquals(PostgreSqlTest.M, s.path("held_max").asLong(), why(s));
        assertEquals(PostgreSqlTest.M, s.path("served_max").asLong(), why(s));
        assertEquals("application", s.path("limit").path("binding").asText(), "refused after accepting: its own limit binds\n" + why(s));
        assertEquals("application", s.path("prediction").path("binding").asText(), why(s));
        assertEquals("served = the application's limit", s.path("limit").path("identity").asText(), why(s));
        assertEquals(PostgreSqlTest.M, s.path("limit").path("measured").asLong(), why(s));
        String rows = Files.readString(tmp.resolve("conlimit-out").resolve("connections.csv"));
        assertTrue(rows.contains("postgres 53300: sorry, too many clients already"), "each refusal's detail names the SQLSTATE\n" + rows);
    }

    /**
     * A probe naming a database that does not exist: trust authenticates it (AuthenticationOk), then 3D000 and a close.
     * That is the probe's own mistake, never a served connection: error, with the SQLSTATE and how to fix it.
     */
    @Test
    void postgresProbeForAMissingDatabaseIsAnErrorNotServed() throws IOException {
        server = PostgreSql.start(tmp.resolve("srv"), PostgreSqlTest.M);
        JsonNode s = conlimit("--target", target(), "--hold-probe", "--probe", "postgres:" + PostgreSql.USER + "/no_such_db",
                "--hold", "until-end", "--gap", "100ms", "--stop-after", "3", "--max-held", "100");
        assertEquals(0, outcome(s, "ok"), why(s));
        assertTrue(outcome(s, "error") >= 3, why(s));
        assertEquals(s.path("connections").asLong(), outcome(s, "error"), "every attempt: " + why(s));
        String rows = Files.readString(tmp.resolve("conlimit-out").resolve("connections.csv"));
        assertTrue(rows.contains("postgres 3D000: database \"\"no_such_db\"\" does not exist (refused for the probe's own user or database"),
                "the detail names the SQLSTATE and the fix\n" + rows);
    }

    @Test
    void postgresBareConnectsAreHeldPastMaxConnectionsSoAConnectProbeStopsAtTheClientsOwnCap() throws IOException {
        // a bare connect gets a backend that waits for its startup packet: held whatever max_connections says;
        // the probe stops at --max-held, below the limit and above it alike, and says the cap is the client's
        server = PostgreSql.start(tmp.resolve("srv"), PostgreSqlTest.M);
        for (int cap : new int[] {PostgreSqlTest.M - 2, 2 * PostgreSqlTest.M}) {
            JsonNode s = conlimitTo("out-" + cap, "--target", target(), "--hold-probe", "--probe", "connect", "--hold", "until-end",
                    "--gap", "5ms", "--stop-after", "3", "--max-held", Integer.toString(cap));
            assertEquals(cap, outcome(s, "connected"), why(s));
            assertEquals(cap, s.path("held_max").asLong(), why(s));
            assertEquals("max-held", s.path("hold_probe_stopped_by").asText(), why(s));
            assertEquals("client", s.path("limit").path("binding").asText(), why(s));
            assertEquals("client", s.path("prediction").path("binding").asText(), why(s));
            assertTrue(s.path("limit").path("sentence").asText().contains("its own cap of " + cap), why(s));
            assertTrue(console.contains("stopped at its own cap of " + cap + " held connections (--max-held)"), console);
            assertTrue(s.path("prediction").path("model").path("workers_inferred").isNull(), "no W from the client's cap\n" + why(s));
            // the run's connections are closed at its end; the next run finds every slot free
            server.awaitNoConnections();
        }
    }

    @Test
    void haproxyConnectProbeHoldsMaxconnPlusBacklogPlusOneAndInfersWEqualsMaxconnFromTheHeldIdentity() throws IOException {
        int m = HaProxyTest.MAXCONN;
        int b = HaProxyTest.B;
        server = HaProxy.start(tmp.resolve("srv"), m, b);
        JsonNode s = conlimit("--target", target(), "--hold-probe", "--probe", "connect", "--hold", "until-end",
                "--gap", "5ms", "--stop-after", "2", "--max-held", "100", "--connect-timeout", "700ms");
        assertEquals(m + b + 1, outcome(s, "connected"), why(s));
        assertEquals(2, outcome(s, "connect-timeout"), why(s));
        assertEquals(m + b + 1, s.path("held_max").asLong(), why(s));
        assertEquals(m + b + 1, s.path("server_sockets").path("server_has").asLong(), "the server's kernel had them all\n" + why(s));
        assertEquals(b, s.path("kernel").path("backlog_seen").asLong(), "the listener's Send-Q is HAProxy's backlog\n" + why(s));
        assertEquals(b + 1, s.path("kernel").path("queue_max_seen").asLong(), "its Recv-Q: B + 1 waited for HAProxy\n" + why(s));
        JsonNode limit = s.path("limit");
        assertEquals("held = W + B + 1", limit.path("identity").asText(), why(s));
        assertEquals(m, s.path("prediction").path("model").path("workers_inferred").asLong(), "maxconn plays the workers\n" + why(s));
        assertEquals("workers", limit.path("binding").asText(), "W = 6 >= B + 1 = 5\n" + why(s));
        assertTrue(console.contains("W = held - B - 1 = 11 - 4 - 1 = 6"), console);
    }

    @Test
    void haproxyRequestProbeServesMaxconnQueuesBPlusOneAndCountsWFromTheServedIdentity() throws IOException {
        int m = HaProxyTest.MAXCONN;
        int b = HaProxyTest.B;
        server = HaProxy.start(tmp.resolve("srv"), m, b);
        JsonNode s = conlimit("--target", target(), "--hold-probe", "--probe", "request:PING\\r\\n:\\n", "--served", "^PING",
                "--hold", "until-end", "--gap", "5ms", "--stop-after", "2", "--max-held", "100",
                "--connect-timeout", "700ms", "--response-timeout", "500ms");
        assertEquals(m, outcome(s, "ok"), why(s));
        assertEquals(b + 1, outcome(s, "connected-unserved"), why(s));
        assertEquals(2, outcome(s, "connect-timeout"), why(s));
        assertEquals(m, s.path("served_max").asLong(), why(s));
        assertEquals(m + b + 1, s.path("held_max").asLong(), why(s));
        JsonNode limit = s.path("limit");
        assertEquals("served = W", limit.path("identity").asText(), why(s));
        assertEquals(m, s.path("prediction").path("model").path("workers_inferred").asLong(), why(s));
        assertEquals(m + b + 1, s.path("prediction").path("concurrent_limit").asLong(), "W + B + 1 checked against held\n" + why(s));
        assertEquals("workers", limit.path("binding").asText(), why(s));
        assertTrue(limit.path("sentence").asText().contains("W = served_max = 6; the other 5 held connections waited unserved"
                + " in the accept queue (B + 1 = 5): held = W + B + 1 = 6 + 4 + 1 = 11, as measured"), why(s));
        assertTrue(console.contains("identity used: served = W"), console);
    }

    @Test
    void apachePreforkKeepAliveIsWOkThenBPlusOneConnectedUnservedThenConnectTimeout() throws IOException {
        server = ApachePrefork.start(tmp.resolve("srv"), ApachePreforkTest.W, ApachePreforkTest.B, false);
        JsonNode s = conlimit("--target", target(), "--hold-probe", "--probe", "http:/index.html", "--hold", "until-end",
                "--gap", "5ms", "--stop-after", "2", "--max-held", "100",
                "--connect-timeout", "700ms", "--response-timeout", "500ms");
        assertEquals(ApachePreforkTest.W, outcome(s, "ok"), why(s));
        assertEquals(ApachePreforkTest.B + 1, outcome(s, "connected-unserved"), why(s));
        assertEquals(2, outcome(s, "connect-timeout"), why(s));
    }

    @Test
    void nginxBusySlotsAreNotReachableWithKeepAliveEveryRequestIsOkAndTheOldestHeldAreClosed() throws IOException {
        // idle keep-alive connections are reusable: nginx closes the oldest instead of refusing (see Nginx)
        server = Nginx.start(tmp.resolve("srv"), NginxTest.N);
        JsonNode s = conlimit("--target", target(), "--burst", "20", "--probe", "http", "--hold", "until-end");
        // a simultaneous burst: nginx keeps N - 2 - N/16 = 13 and closes the others before answering; it may serve a
        // few more by closing idle ones first, but never refuses one it answered. Its close is a FIN (app-refused: no
        // answer) when the request had not arrived yet, and a RST (reset) when it had: a socket closed with unread data
        // resets (RFC 2525 2.17); which one depends on when the request lands, so only their sum is fixed
        long ok = outcome(s, "ok");
        assertTrue(ok >= NginxTest.N - 2 - NginxTest.N / 16, why(s));
        assertEquals(20, ok + outcome(s, "app-refused") + outcome(s, "reset"), why(s));
        assertEquals(0, outcome(s, "connect-timeout") + outcome(s, "refused") + outcome(s, "error"), why(s));
    }
}
