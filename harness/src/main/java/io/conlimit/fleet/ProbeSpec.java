package io.conlimit.fleet;

import io.conlimit.plan.Probe;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** A {@link Probe} compiled once per run: the bytes to send and how to read the answer ({@link #newDecoder()}). */
final class ProbeSpec {
    enum Kind { CONNECT, BANNER, REQUEST, HTTP, MYSQL, POSTGRES, MEMCACHED, REDIS, SMTP, FTP }

    private static final ReplyDecoder FIRST_BYTES = buf -> ReplyDecoder.served("");

    final Kind kind;
    /** Sent once connected (request, http, postgres, memcached, redis), null otherwise. */
    final byte[] payload;
    /** Request: ok after this many bytes (when above 0). */
    final int expectBytes;
    /** Request: ok when this arrived (when not empty); with its KMP failure table. */
    final byte[] delimiter;
    final int[] failure;
    /** Request: the answer's patterns, null when not given. */
    final Pattern served;
    final Pattern refused;

    private ProbeSpec(Kind kind, byte[] payload, int expectBytes, byte[] delimiter, Pattern served, Pattern refused) {
        this.kind = kind;
        this.payload = payload;
        this.expectBytes = expectBytes;
        this.delimiter = delimiter == null ? new byte[0] : delimiter;
        this.failure = failureTable(this.delimiter);
        this.served = served;
        this.refused = refused;
    }

    private ProbeSpec(Kind kind, byte[] payload) {
        this(kind, payload, 0, null, null, null);
    }

    /** @param held whether the run keeps connections open after their outcome (a hold, or a hold probe phase): http then asks for keep-alive */
    static ProbeSpec of(Probe probe, String defaultHost, boolean held) {
        if (probe instanceof Probe.Connect) {
            return new ProbeSpec(Kind.CONNECT, null);
        }
        if (probe instanceof Probe.Banner) {
            return new ProbeSpec(Kind.BANNER, null);
        }
        if (probe instanceof Probe.Request r) {
            return new ProbeSpec(Kind.REQUEST, r.payload().clone(), r.expectBytes(), r.delimiter() == null ? null : r.delimiter().clone(),
                    r.served() == null ? null : Pattern.compile(r.served()), r.refused() == null ? null : Pattern.compile(r.refused()));
        }
        if (probe instanceof Probe.Http h) {
            String host = h.host() == null || h.host().isEmpty() ? defaultHost : h.host();
            String path = h.path() == null || h.path().isEmpty() ? "/" : h.path();
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + (held ? "" : "Connection: close\r\n") + "\r\n";
            return new ProbeSpec(Kind.HTTP, req.getBytes(StandardCharsets.US_ASCII));
        }
        if (probe instanceof Probe.Mysql) {
            return new ProbeSpec(Kind.MYSQL, null);
        }
        if (probe instanceof Probe.Postgres p) {
            return new ProbeSpec(Kind.POSTGRES, startupMessage(p.user(), p.database()));
        }
        if (probe instanceof Probe.Memcached) {
            return new ProbeSpec(Kind.MEMCACHED, "version\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (probe instanceof Probe.Redis) {
            return new ProbeSpec(Kind.REDIS, "PING\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (probe instanceof Probe.Smtp) {
            return new ProbeSpec(Kind.SMTP, null);
        }
        if (probe instanceof Probe.Ftp) {
            return new ProbeSpec(Kind.FTP, null);
        }
        throw new IllegalArgumentException("unknown probe " + probe);
    }

    /** PostgreSQL protocol 3.0 StartupMessage: int32 length, int32 196608, user and database parameters, a final NUL. */
    static byte[] startupMessage(String user, String database) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String s : new String[] {"user", user, "database", database}) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            body.write(b, 0, b.length);
            body.write(0);
        }
        body.write(0);
        int length = 8 + body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length);
        for (int v : new int[] {length, 196608}) {
            out.write(v >>> 24);
            out.write(v >>> 16);
            out.write(v >>> 8);
            out.write(v);
        }
        out.write(body.toByteArray(), 0, body.size());
        return out.toByteArray();
    }

    /** Whether a connection writes after the handshake. */
    boolean writes() {
        return payload != null;
    }

    /** A new reader of one connection's answer (call when its first bytes arrive). */
    ReplyDecoder newDecoder() {
        return switch (kind) {
            case CONNECT, BANNER -> FIRST_BYTES;
            case REQUEST -> new RequestDecoder(this);
            case HTTP -> new LineDecoder(HttpStatusRule.INSTANCE, "HTTP status line");
            case MYSQL -> new MysqlDecoder();
            case POSTGRES -> new PostgresDecoder();
            case MEMCACHED -> new LineDecoder(MemcachedRule.INSTANCE, "memcached reply line");
            case REDIS -> new LineDecoder(RedisRule.INSTANCE, "Redis reply line");
            case SMTP -> new LineDecoder(ReplyCodeRule.SMTP, "SMTP greeting line");
            case FTP -> new LineDecoder(ReplyCodeRule.FTP, "FTP greeting line");
        };
    }

    private static int[] failureTable(byte[] p) {
        int[] f = new int[p.length];
        int k = 0;
        for (int i = 1; i < p.length; i++) {
            while (k > 0 && p[k] != p[i]) {
                k = f[k - 1];
            }
            if (p[k] == p[i]) {
                k++;
            }
            f[i] = k;
        }
        return f;
    }

    /** Advances a delimiter match by one byte: returns the new matched length (== delimiter.length: found). */
    int step(int matched, byte b) {
        while (matched > 0 && delimiter[matched] != b) {
            matched = failure[matched - 1];
        }
        return delimiter[matched] == b ? matched + 1 : matched;
    }
}
