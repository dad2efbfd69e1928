package io.conlimit.theory;

/**
 * Which identity turned a hold probe's counts into the server's limit (summary.json {@code limit.identity}).
 * What was counted decides it: connections the application answered are one per busy worker (or the
 * application's own limit); connections that only completed the handshake include the accept queue's B + 1.
 */
public enum Identity {
    /** Connect-level holds: the workers' connections plus the B + 1 in the accept queue. */
    HELD("held = W + B + 1"),
    /** Served connections (the application answered): one per worker; the unserved held ones are the accept queue. */
    SERVED("served = W"),
    /** Served connections, the next refused after accepting: the application's own connection limit. */
    APPLICATION("served = the application's limit");

    private final String key;

    Identity(String key) {
        this.key = key;
    }

    /** As written in summary.json and on the console. */
    public String key() {
        return key;
    }
}
