package io.conlimit.fleet;

/**
 * Where one connection is, on either connect path ({@link Connection}, {@link DirectConnect}); kept in its
 * {@link ConnectionTrace}, which checks every move against {@link #canGo} and that it happens on the connection's
 * event loop.
 * <pre>
 *   NEW ──connect()──▶ CONNECTING ──handshake──▶ CONNECTED ──answer, refusal, timeout──▶ DECIDED
 *    │                     │                                                            │      │
 *    └─ socket failed ─────┴─ refused, timeout, reset ───────────────────────────────▶ DECIDED  │
 *                                                   DECIDED ──held until the run ends──▶ HELD   │
 *                                              DECIDED or HELD ──socket closed──▶ CLOSED ◀──────┘
 * </pre>
 */
enum ConnectionState {
    /** Created; the socket is being made (or could not be: decided at connect time). */
    NEW,
    /** connect() was called; waiting for its completion (an entry in the loop's {@link ConnectDeadlines}). */
    CONNECTING,
    /** The handshake completed; the probe waits for the application (banner, reply) or decides at once. */
    CONNECTED,
    /** The outcome is set and reported; the socket is open for its hold, or closing. */
    DECIDED,
    /** Decided and kept open until the run ends (hold until-end, the hold probe's held connections). */
    HELD,
    /** The socket is closed and the close reported: nothing more happens. */
    CLOSED;

    /** Whether a connection in this state may move to {@code next}. */
    boolean canGo(ConnectionState next) {
        return switch (this) {
            case NEW -> next == CONNECTING || next == DECIDED;
            case CONNECTING -> next == CONNECTED || next == DECIDED;
            case CONNECTED -> next == DECIDED;
            case DECIDED -> next == HELD || next == CLOSED;
            case HELD -> next == CLOSED;
            case CLOSED -> false;
        };
    }
}
