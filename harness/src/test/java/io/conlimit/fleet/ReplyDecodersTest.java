package io.conlimit.fleet;

import io.conlimit.plan.Probe;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static io.conlimit.fleet.WireAnswers.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each probe's decoder on real protocol bytes, whole and split at every byte boundary (and byte by byte). */
class ReplyDecodersTest {

    private static ProbeSpec spec(Probe p) {
        return ProbeSpec.of(p, "h", false);
    }

    /** Feeds {@code answer} in the given parts (empty parts skipped, as Netty never delivers them); the first verdict. */
    private static Classifier.Verdict feed(ProbeSpec spec, byte[]... parts) {
        ReplyDecoder d = spec.newDecoder();
        for (byte[] part : parts) {
            if (part.length == 0) {
                continue;
            }
            ByteBuf buf = Unpooled.wrappedBuffer(part);
            Classifier.Verdict v = d.feed(buf);
            assertEquals(0, buf.readerIndex(), "a decoder never consumes");
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The verdict on {@code answer} whole, which must be the same at every split and byte by byte. */
    private static Classifier.Verdict decide(Probe probe, byte[] answer) {
        ProbeSpec spec = spec(probe);
        Classifier.Verdict whole = feed(spec, answer);
        assertNotNull(whole, "no verdict on the whole answer");
        for (int k = 0; k <= answer.length; k++) {
            assertEquals(whole, feed(spec, Arrays.copyOfRange(answer, 0, k), Arrays.copyOfRange(answer, k, answer.length)),
                    "split at " + k);
        }
        byte[][] single = new byte[answer.length][];
        for (int i = 0; i < answer.length; i++) {
            single[i] = new byte[] {answer[i]};
        }
        assertEquals(whole, feed(spec, single), "byte by byte");
        return whole;
    }

    private static void assertVerdict(Outcome outcome, String detail, Classifier.Verdict v) {
        assertEquals(new Classifier.Verdict(outcome, detail), v);
    }

    @Test
    void httpStatusDecidesServedAndRefused() {
        Probe http = new Probe.Http("/", "h");
        assertVerdict(Outcome.OK, "http 200", decide(http, ascii("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")));
        assertVerdict(Outcome.OK, "http 404", decide(http, ascii("HTTP/1.1 404 Not Found\r\n")));
        assertVerdict(Outcome.OK, "http 101", decide(http, ascii("HTTP/1.1 101 Switching Protocols\r\n")));
        assertVerdict(Outcome.APP_REFUSED, "http 503", decide(http, ascii("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n\r\n")));
        assertVerdict(Outcome.APP_REFUSED, "http 429", decide(http, ascii("HTTP/1.0 429 Too Many Requests\r\n")));
        assertVerdict(Outcome.APP_REFUSED, "http 500", decide(http, ascii("HTTP/2 500\n")));
        Classifier.Verdict ssh = decide(http, ascii("SSH-2.0-OpenSSH_9.6\r\n"));
        assertEquals(Outcome.ERROR, ssh.outcome());
        assertEquals("not an HTTP status line: SSH-2.0-OpenSSH_9.6", ssh.detail());
        assertNull(feed(spec(http), ascii("HTTP/1.1 200 OK")), "no verdict before the line ends");
    }

    @Test
    void httpAsksForKeepAliveOnlyWhenConnectionsAreHeld() {
        assertEquals("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                new String(ProbeSpec.of(new Probe.Http("/a", "x"), "h", false).payload, StandardCharsets.US_ASCII));
        assertEquals("GET /a HTTP/1.1\r\nHost: x\r\n\r\n",
                new String(ProbeSpec.of(new Probe.Http("/a", "x"), "h", true).payload, StandardCharsets.US_ASCII));
    }

    @Test
    void mysqlGreetingIsServedItsErrorPacketRefused() {
        Probe mysql = new Probe.Mysql();
        assertVerdict(Outcome.OK, "mysql 5.5.5-10.11.6-MariaDB-0+deb12u1", decide(mysql, WireAnswers.mariadbGreeting()));
        assertVerdict(Outcome.APP_REFUSED, "mysql error 1040: Too many connections", decide(mysql, WireAnswers.mysqlTooManyConnections()));
        assertVerdict(Outcome.APP_REFUSED, "mysql error 1040: Too many connections",
                decide(mysql, WireAnswers.mysqlErrorWithSqlState(1040, "08004", "Too many connections")));
        assertVerdict(Outcome.APP_REFUSED, "mysql error 1129: Host '10.0.0.7' is blocked because of many connection errors",
                decide(mysql, WireAnswers.mysqlErrorWithSqlState(1129, "HY000", "Host '10.0.0.7' is blocked because of many connection errors")));
        assertEquals(Outcome.ERROR, decide(mysql, ascii("HTTP/1.1 400 Bad Request\r\n")).outcome(), "a huge length: not MySQL");
        assertVerdict(Outcome.ERROR, "not a MySQL handshake: first payload byte 0x09",
                decide(mysql, WireAnswers.mysqlPacket(0, ascii("\u0009old"))));
    }

    @Test
    void postgresAuthRequestIsServedTooManyClientsRefused() {
        Probe pg = new Probe.Postgres("conlimit", "conlimit");
        assertVerdict(Outcome.OK, "postgres authentication request (SASL)", decide(pg, WireAnswers.pgAuthSasl()));
        assertVerdict(Outcome.OK, "postgres authentication request (md5)",
                decide(pg, WireAnswers.pgMessage('R', new byte[] {0, 0, 0, 5, 1, 2, 3, 4})));
        assertVerdict(Outcome.APP_REFUSED, "postgres 53300: sorry, too many clients already",
                decide(pg, WireAnswers.pgError("53300", "sorry, too many clients already")));
        assertVerdict(Outcome.APP_REFUSED, "postgres 57P03: the database system is starting up",
                decide(pg, WireAnswers.pgError("57P03", "the database system is starting up")));
        assertVerdict(Outcome.ERROR, "postgres 28000: role \"conlimit\" does not exist (refused for the probe's own user or"
                + " database, not for a limit: --probe postgres:USER/DB)", decide(pg, WireAnswers.pgError("28000", "role \"conlimit\" does not exist")));
        // trust: AuthenticationOk, ParameterStatus, BackendKeyData, then ReadyForQuery (a session) or an error
        byte[] authOk = WireAnswers.pgMessage('R', new byte[] {0, 0, 0, 0});
        byte[] status = WireAnswers.pgMessage('S', ascii("server_version\u000017.2\u0000"));
        byte[] key = WireAnswers.pgMessage('K', new byte[] {0, 0, 0, 42, 1, 2, 3, 4});
        assertVerdict(Outcome.OK, "postgres session ready (authentication ok)",
                decide(pg, concat(authOk, status, key, WireAnswers.pgMessage('Z', ascii("I")))));
        assertVerdict(Outcome.ERROR, "postgres 3D000: database \"conlimit\" does not exist (refused for the probe's own user or"
                + " database, not for a limit: --probe postgres:USER/DB)",
                decide(pg, concat(authOk, WireAnswers.pgError("3D000", "database \"conlimit\" does not exist"))));
        assertVerdict(Outcome.APP_REFUSED, "postgres 53300: sorry, too many clients already",
                decide(pg, concat(authOk, status, WireAnswers.pgError("53300", "sorry, too many clients already"))));
        assertVerdict(Outcome.ERROR, "not a PostgreSQL reply: message type 0x48", decide(pg, ascii("HTTP/1.1 400 Bad Request\r\n")));
    }

    @Test
    void postgresStartupMessageIsProtocol30() {
        byte[] m = ProbeSpec.startupMessage("app", "db");
        byte[] body = ascii("user\0app\0database\0db\0\0");
        assertEquals(8 + body.length, m.length);
        assertArrayEquals(new byte[] {0, 0, 0, (byte) m.length, 0, 3, 0, 0}, Arrays.copyOf(m, 8));
        assertArrayEquals(body, Arrays.copyOfRange(m, 8, m.length));
    }

    @Test
    void redisPongAndAuthAreServedMaxClientsRefused() {
        Probe redis = new Probe.Redis();
        assertVerdict(Outcome.OK, "redis: +PONG", decide(redis, ascii("+PONG\r\n")));
        assertVerdict(Outcome.OK, "redis: -NOAUTH Authentication required. (served: the server wants authentication)",
                decide(redis, ascii("-NOAUTH Authentication required.\r\n")));
        assertVerdict(Outcome.APP_REFUSED, "redis: -ERR max number of clients reached", decide(redis, ascii("-ERR max number of clients reached\r\n")));
        assertEquals(Outcome.ERROR, decide(redis, ascii("HTTP/1.1 400 Bad Request\r\n")).outcome());
    }

    @Test
    void memcachedVersionIsServedErrorRefused() {
        Probe mc = new Probe.Memcached();
        assertVerdict(Outcome.OK, "memcached: VERSION 1.6.21", decide(mc, ascii("VERSION 1.6.21\r\n")));
        assertVerdict(Outcome.APP_REFUSED, "memcached: ERROR Too many open connections", decide(mc, ascii("ERROR Too many open connections\r\n")));
        assertVerdict(Outcome.APP_REFUSED, "memcached: SERVER_ERROR out of memory", decide(mc, ascii("SERVER_ERROR out of memory\r\n")));
        assertEquals(Outcome.ERROR, decide(mc, ascii("+PONG\r\n")).outcome());
    }

    @Test
    void smtpAndFtpGreetingCodes() {
        assertVerdict(Outcome.OK, "smtp 220 mx.example.test ESMTP Postfix", decide(new Probe.Smtp(), ascii("220 mx.example.test ESMTP Postfix\r\n")));
        assertVerdict(Outcome.OK, "smtp 220-mx.example.test ESMTP", decide(new Probe.Smtp(), ascii("220-mx.example.test ESMTP\r\n220 ready\r\n")));
        assertVerdict(Outcome.APP_REFUSED, "smtp 421 4.7.0 mx.example.test Error: too many connections from 10.0.0.7",
                decide(new Probe.Smtp(), ascii("421 4.7.0 mx.example.test Error: too many connections from 10.0.0.7\r\n")));
        assertVerdict(Outcome.APP_REFUSED, "ftp 421 Too many users, sorry.", decide(new Probe.Ftp(), ascii("421 Too many users, sorry.\r\n")));
        assertVerdict(Outcome.OK, "ftp 220 (vsFTPd 3.0.5)", decide(new Probe.Ftp(), ascii("220 (vsFTPd 3.0.5)\r\n")));
        assertEquals(Outcome.ERROR, decide(new Probe.Smtp(), ascii("SSH-2.0-OpenSSH_9.6\r\n")).outcome());
    }

    @Test
    void requestPatterns() {
        Probe p = new Probe.Request(ascii("version\r\n"), 0, ascii("\r\n"), "^VERSION", "ERROR");
        assertVerdict(Outcome.OK, "", decide(p, ascii("VERSION 1.6.21\r\n")));
        assertVerdict(Outcome.APP_REFUSED, "refused pattern: ERROR Too many open connections",
                decide(p, ascii("ERROR Too many open connections\r\n")));
        assertVerdict(Outcome.ERROR, "answer matched neither served nor refused pattern: STORED",
                decide(p, ascii("STORED\r\n")));
        assertVerdict(Outcome.OK, "", decide(new Probe.Request(ascii("x"), 0, ascii("\r\n")), ascii("anything\r\n")));
        Probe counted = new Probe.Request(ascii("\u0000"), 3, new byte[0], null, "\\xff");
        assertVerdict(Outcome.APP_REFUSED, "refused pattern: a\u00ffb", decide(counted, new byte[] {'a', (byte) 0xff, 'b', 'c'}));
        assertVerdict(Outcome.OK, "", decide(counted, ascii("abcdef")));
    }

    @Test
    void answersAreBoundedAt8KiB() {
        byte[] longLine = new byte[ReplyDecoder.ANSWER_CAP + 10];
        Arrays.fill(longLine, (byte) 'a');
        assertVerdict(Outcome.ERROR, "no HTTP status line within 8192 bytes", feed(spec(new Probe.Http("/", "h")), longLine));
        assertVerdict(Outcome.ERROR, "answer longer than 8192 bytes and not complete",
                feed(spec(new Probe.Request(ascii("x"), 0, ascii("\n"), "a", null)), longLine));
        assertVerdict(Outcome.ERROR, "not a MySQL packet: payload length 16777215",
                feed(spec(new Probe.Mysql()), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0}));
    }

    @Test
    void bannerIsServedAtTheFirstByte() {
        assertVerdict(Outcome.OK, "", decide(new Probe.Banner(), ascii("S")));
        assertTrue(spec(new Probe.Banner()).newDecoder() == spec(new Probe.Banner()).newDecoder(), "stateless: shared");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
