package io.conlimit.fleet;

import io.conlimit.plan.Probe;

import java.nio.charset.StandardCharsets;

/** A {@link Probe} compiled once per run: the bytes to send and how to recognise the answer. */
final class ProbeSpec {
    enum Kind { CONNECT, BANNER, REQUEST, HTTP }

    final Kind kind;
    /** Sent once connected (request, http), null otherwise. */
    final byte[] payload;
    /** Request: ok after this many bytes (when above 0). */
    final int expectBytes;
    /** Request: ok when this arrived (when not empty); with its KMP failure table. */
    final byte[] delimiter;
    final int[] failure;

    private ProbeSpec(Kind kind, byte[] payload, int expectBytes, byte[] delimiter) {
        this.kind = kind;
        this.payload = payload;
        this.expectBytes = expectBytes;
        this.delimiter = delimiter == null ? new byte[0] : delimiter;
        this.failure = failureTable(this.delimiter);
    }

    static ProbeSpec of(Probe probe, String defaultHost) {
        if (probe instanceof Probe.Connect) {
            return new ProbeSpec(Kind.CONNECT, null, 0, null);
        }
        if (probe instanceof Probe.Banner) {
            return new ProbeSpec(Kind.BANNER, null, 0, null);
        }
        if (probe instanceof Probe.Request r) {
            return new ProbeSpec(Kind.REQUEST, r.payload().clone(), r.expectBytes(), r.delimiter() == null ? null : r.delimiter().clone());
        }
        if (probe instanceof Probe.Http h) {
            String host = h.host() == null || h.host().isEmpty() ? defaultHost : h.host();
            String path = h.path() == null || h.path().isEmpty() ? "/" : h.path();
            String req = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
            return new ProbeSpec(Kind.HTTP, req.getBytes(StandardCharsets.US_ASCII), 0, null);
        }
        throw new IllegalArgumentException("unknown probe " + probe);
    }

    /** Whether a connection writes a request after the handshake (request and http probes). */
    boolean writes() {
        return kind == Kind.REQUEST || kind == Kind.HTTP;
    }

    /** Whether a connection waits for an answer after the handshake. */
    boolean expectsAnswer() {
        return kind != Kind.CONNECT;
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
