package io.conlimit.fleet;

import io.netty.util.concurrent.Future;

/**
 * One connection as the load phases and the connect deadlines drive it: prepared (socket created, bound with
 * --source), then connect() called exactly once, then decided and closed on its own. Two implementations:
 * {@link Connection} (a Netty channel: every probe, holds) and {@link DirectConnect} (a bare socket: the
 * connect probe closed at once, the fast path). Event-loop thread only.
 */
interface Attempt {

    /** Creates (and binds) the socket; completes when it is ready to connect. A failure becomes the outcome at connect time. */
    Future<Void> prepare();

    /** Calls connect() now; returns the call time (run epoch). Only the call: the rest waits for {@link #called()}. */
    long connectNow(long intendedNanos);

    /** After connect() was called (a burst: after its whole share): reports the start and takes the completion from there. */
    void called();

    /** Open-loop start: prepare, connect at once (late if preparing took long: counted, never re-timed), {@link #called()}. */
    void launch(long intendedNanos);

    /** When connect() was called, -1 before (or while preparing has not finished). */
    long callNanos();

    /** Until when it waits for the completion. */
    long connectDeadline();

    /**
     * From {@link ConnectDeadlines}, at or after {@link #connectDeadline()}: decides a connect timeout unless the
     * kernel completed the handshake meanwhile. Returns false when it should be asked again at its new deadline.
     */
    boolean connectTimedOut();
}
