package io.conlimit.fleet;

import io.netty.channel.EventLoop;

/**
 * What one connection went through so far, shared by both connect paths ({@link Connection},
 * {@link DirectConnect}): its {@link ConnectionState}, times (run epoch, -1 until they happen), outcome, SYN
 * retransmits and local address, and the listener's started() call made once. Event-loop thread only: every state
 * move checks that it runs on the connection's loop and is a move the state machine allows; a violation (a bug)
 * is kept by the run, which then fails instead of writing records it cannot vouch for.
 */
final class ConnectionTrace {
    private final RunContext run;
    private final PhaseStats phase;
    private final long id;
    private final EventLoop loop;
    private ConnectionState state = ConnectionState.NEW;
    /** The connection this traces, for its {@link ConnectDeadlines} entry. */
    final Attempt attempt;
    /** Its links in its loop's {@link ConnectDeadlines} (owned by that class). */
    ConnectionTrace deadlinePrev;
    ConnectionTrace deadlineNext;
    boolean deadlineQueued;
    long intended = -1;
    long call = -1;
    long connected = -1;
    long firstByte = -1;
    long decidedAt = -1;
    Outcome outcome;
    String detail = "";
    int syn = -1;
    String local = "";
    private boolean startedReported;

    ConnectionTrace(RunContext run, PhaseStats phase, long id, Attempt attempt, EventLoop loop) {
        this.run = run;
        this.loop = loop;
        this.phase = phase;
        this.id = id;
        this.attempt = attempt;
    }

    ConnectionState state() {
        return state;
    }

    /** Moves to {@code next}: on this connection's event loop, along the state machine, or the run fails at its end. */
    void to(ConnectionState next) {
        if (!loop.inEventLoop()) {
            run.internalError("connection " + id + " moved from " + state + " to " + next + " off its event loop, on thread "
                    + Thread.currentThread().getName());
        }
        if (!state.canGo(next)) {
            run.internalError("connection " + id + " moved from " + state + " to " + next + ", which the state machine does not allow");
        }
        state = next;
    }

    /** connect() is being called now for a start intended at {@code intendedNanos}; returns the call time. */
    long calling(long intendedNanos) {
        intended = intendedNanos;
        call = run.now();
        return call;
    }

    /** The handshake completed now. */
    void connectedNow() {
        connected = run.now();
        to(ConnectionState.CONNECTED);
    }

    /** Tells the listener the connection started, the first time only. */
    void reportStarted() {
        if (!startedReported) {
            startedReported = true;
            run.tellStarted(phase.index, intended, call);
        }
    }

    /** Sets the outcome now; false when it was decided already (an outcome is decided once). */
    boolean decide(Outcome o, String d) {
        if (outcome != null) {
            return false;
        }
        to(ConnectionState.DECIDED);
        outcome = o;
        detail = d;
        decidedAt = run.now();
        return true;
    }

    /** The record as it stands: closed at {@code closedNanos} (-1 while open) in the given way. */
    ConnectionRecord record(long closedNanos, String close) {
        return new ConnectionRecord(id, phase.index, intended, call, connected, firstByte, decidedAt, closedNanos,
                outcome, syn, local, close, detail);
    }
}
