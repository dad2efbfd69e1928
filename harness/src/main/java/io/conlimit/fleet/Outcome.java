package io.conlimit.fleet;

import java.util.Locale;

/**
 * What happened to one connection attempt, each defined by a wire or kernel fact (docs/results.md#outcomes).
 * Each is counted separately; the generator's own limits ({@link #CLIENT_LIMITED}) are never charged to the
 * server. Only {@link #OK} says the server's application served the connection; {@link #CONNECTED} says only
 * that the handshake completed, which a full accept queue with SYN cookies, or TCP_DEFER_ACCEPT, gives to
 * clients whose connection the application never had.
 */
public enum Outcome {
    /** Served: the probe received the application's answer and it was not a refusal (banner, reply, status line). */
    OK,
    /** The handshake completed (a SYN-ACK arrived) and the probe checks nothing more: not verified that the server's application has it. */
    CONNECTED,
    /** The handshake completed but the application never answered within the response timeout. */
    CONNECTED_UNSERVED,
    /** The application refused after the handshake: a refusal reply (HTTP 503, a MySQL error packet, -ERR...) or a close (FIN) before answering. */
    APP_REFUSED,
    /** RST in answer to the SYN: nothing listens. */
    REFUSED,
    /** No SYN-ACK within the connect timeout (the SYNs were dropped, e.g. a full accept queue). */
    CONNECT_TIMEOUT,
    /** RST after the handshake, e.g. tcp_abort_on_overflow=1 or the server closing with RST. */
    RESET,
    /** The generator's own limit: EMFILE, EADDRNOTAVAIL, ENOBUFS... */
    CLIENT_LIMITED,
    /** Anything else, with its errno/message in the record's detail. */
    ERROR;

    private final String key = name().toLowerCase(Locale.ROOT).replace('_', '-');

    /** The name used in summary.json, connections.csv and expectations, e.g. {@code connect-timeout}. */
    public String key() {
        return key;
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static Outcome fromKey(String key) {
        for (Outcome o : values()) {
            if (o.key.equals(key)) {
                return o;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Outcome o : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(o.key);
        }
        throw new IllegalArgumentException("unknown outcome '" + key + "': expected one of " + names);
    }

    /** Whether the handshake completed: the client's kernel had the connection established (ok, connected, connected-unserved, app-refused, reset). */
    public boolean handshakeCompleted() {
        return this == OK || this == CONNECTED || this == CONNECTED_UNSERVED || this == APP_REFUSED || this == RESET;
    }

    /** What the probe accepted as success: served ({@code ok}), or, for the connect probe, which checks no more, {@code connected}. */
    public boolean probeSucceeded() {
        return this == OK || this == CONNECTED;
    }

    @Override
    public String toString() {
        return key;
    }
}
