package io.conlimit.plan;

/** What a connection does once connected, and so what "served" means for it. */
public sealed interface Probe {

    /** Handshake only: ok as soon as connect() completes. */
    record Connect() implements Probe {
    }

    /** Wait for server-first bytes (MySQL, SMTP, SSH greeting): ok at the first byte. */
    record Banner() implements Probe {
    }

    /**
     * Send {@code payload}, then wait for {@code expectBytes} bytes (when above 0) or for {@code delimiter}
     * (when not empty), e.g. memcached {@code version\r\n} answered up to {@code \r\n}.
     */
    record Request(byte[] payload, int expectBytes, byte[] delimiter) implements Probe {
    }

    /** Send {@code GET path HTTP/1.1} with {@code Host: host}, read the status line. */
    record Http(String path, String host) implements Probe {
    }
}
