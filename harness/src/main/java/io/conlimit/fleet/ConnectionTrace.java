package io.conlimit.fleet;

/**
 * What one connection went through so far, shared by both connect paths ({@link Connection},
 * {@link DirectConnect}): its times (run epoch, -1 until they happen), outcome, SYN retransmits and local
 * address, and the listener's started() call made once. Event-loop thread only.
 */
final class ConnectionTrace {
    private final RunContext run;
    private final PhaseStats phase;
    private final long id;
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

    ConnectionTrace(RunContext run, PhaseStats phase, long id, Attempt attempt) {
        this.run = run;
        this.phase = phase;
        this.id = id;
        this.attempt = attempt;
    }

    /** connect() is being called now for a start intended at {@code intendedNanos}; returns the call time. */
    long calling(long intendedNanos) {
        intended = intendedNanos;
        call = run.now();
        return call;
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
