package io.conlimit.fleet;

import java.util.Locale;

/**
 * What happened to one connection attempt. Each is counted separately; the generator's own limits
 * ({@link #CLIENT_LIMITED}) are never charged to the server.
 */
public enum Outcome {
    /** Connected, and served when the probe expects an answer. */
    OK,
    /** The kernel completed the handshake but the application never answered within the response timeout. */
    CONNECTED_UNSERVED,
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

    @Override
    public String toString() {
        return key;
    }
}
