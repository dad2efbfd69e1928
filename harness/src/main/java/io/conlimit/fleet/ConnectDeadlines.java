package io.conlimit.fleet;

import io.netty.channel.EventLoop;

import java.util.concurrent.TimeUnit;

/**
 * The connect timeouts of one event loop in one run, with one Netty timer instead of one per connection.
 * Every connect of a run has the same timeout and a loop calls connect() in time order, so the deadlines
 * arrive in order: an intrusive doubly linked list (the links live in each connection's {@link ConnectionTrace},
 * nothing is allocated per connect) holds them in that order, and one scheduled sweep (at the oldest deadline)
 * times out every connection whose deadline has passed and re-arms itself for the next one. A connection leaves
 * the list the moment its connect completes or it is decided ({@link #remove}, O(1)), wherever it is: one
 * connection retrying its SYN no longer keeps every later, finished one alive until its own timeout.
 * A connection still times out at its deadline or later, never earlier: the same as its own timer. One whose
 * handshake the kernel completed already (TCP_INFO) is not timed out: a {@link DirectConnect} takes it as connected
 * there and then; a {@link Connection} goes back in the list once with a new deadline (now + the connect
 * timeout, still in order), its completion being merely unprocessed.
 * Event-loop thread only.
 */
final class ConnectDeadlines implements Runnable {
    private final EventLoop loop;
    private final RunContext run;
    private ConnectionTrace head;
    private ConnectionTrace tail;
    private int size;
    private boolean armed;

    ConnectDeadlines(EventLoop loop, RunContext run) {
        this.loop = loop;
        this.run = run;
    }

    /** {@code c} (whose trace is {@code t}) called connect() and waits for its completion until {@link Attempt#connectDeadline()}. */
    void add(ConnectionTrace t) {
        assert loop.inEventLoop() : "connect deadlines touched off their event loop";
        if (t.deadlineQueued) {
            return;
        }
        t.deadlineQueued = true;
        t.deadlinePrev = tail;
        t.deadlineNext = null;
        if (tail == null) {
            head = t;
        } else {
            tail.deadlineNext = t;
        }
        tail = t;
        size++;
        if (!armed) {
            arm(t.attempt.connectDeadline());
        }
    }

    /** {@code t}'s connection no longer waits for its connect completion (completed, decided, closed); idempotent. */
    void remove(ConnectionTrace t) {
        assert loop.inEventLoop() : "connect deadlines touched off their event loop";
        if (!t.deadlineQueued) {
            return;
        }
        t.deadlineQueued = false;
        if (t.deadlinePrev == null) {
            head = t.deadlineNext;
        } else {
            t.deadlinePrev.deadlineNext = t.deadlineNext;
        }
        if (t.deadlineNext == null) {
            tail = t.deadlinePrev;
        } else {
            t.deadlineNext.deadlinePrev = t.deadlinePrev;
        }
        t.deadlinePrev = null;
        t.deadlineNext = null;
        size--;
    }

    /** The sweep: times out every waiting connection whose deadline has passed. */
    @Override
    public void run() {
        armed = false;
        long now = run.now();
        ConnectionTrace t;
        while ((t = head) != null && t.attempt.connectDeadline() - now <= 0) {
            remove(t);
            if (!t.attempt.connectTimedOut()) {
                add(t); // handshake done in the kernel, completion not processed yet: its later deadline, in order
            }
        }
        if (head != null && !armed) {
            arm(head.attempt.connectDeadline());
        }
    }

    /** Connections waiting for their connect completion (tests). */
    int size() {
        return size;
    }

    private void arm(long deadline) {
        armed = true;
        loop.schedule(this, Math.max(0, deadline - run.now()), TimeUnit.NANOSECONDS);
    }
}
