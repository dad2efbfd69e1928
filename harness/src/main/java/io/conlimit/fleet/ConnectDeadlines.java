package io.conlimit.fleet;

import io.netty.channel.EventLoop;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The connect timeouts of one event loop in one run, with one Netty timer instead of one per connection.
 * Every connect of a run has the same timeout and a loop calls connect() in time order, so the deadlines
 * arrive in order: a FIFO queue holds them, one scheduled sweep (at the oldest deadline) times out every
 * connection whose deadline has passed and re-arms itself for the next one. Connections that completed
 * meanwhile are dropped from the head lazily (no cancel, no priority-queue work per connect).
 * A connection still times out at its deadline or later, never earlier: the same as its own timer. One whose
 * handshake the kernel completed already (TCP_INFO) is not timed out: a {@link DirectConnect} is decided ok
 * there and then; a {@link Connection} goes back in the queue once with a new deadline (now + the connect
 * timeout, still in order), its completion being merely unprocessed.
 * Event-loop thread only.
 */
final class ConnectDeadlines implements Runnable {
    private final EventLoop loop;
    private final RunContext run;
    private final ArrayDeque<Attempt> queue = new ArrayDeque<>();
    private boolean armed;

    ConnectDeadlines(EventLoop loop, RunContext run) {
        this.loop = loop;
        this.run = run;
    }

    /** {@code c} called connect() and waits for its completion until {@link Attempt#connectDeadline()}. */
    void add(Attempt c) {
        dropCompleted();
        queue.addLast(c);
        if (!armed) {
            arm(c.connectDeadline());
        }
    }

    /** The sweep: times out every waiting connection whose deadline has passed. */
    @Override
    public void run() {
        armed = false;
        long now = run.now();
        Attempt c;
        while ((c = queue.peekFirst()) != null) {
            if (!c.awaitingConnect()) {
                queue.pollFirst();
            } else if (c.connectDeadline() - now <= 0) {
                queue.pollFirst();
                if (!c.connectTimedOut()) {
                    queue.addLast(c); // handshake done in the kernel, completion not processed yet: later deadline
                }
            } else {
                break;
            }
        }
        if (c != null) {
            arm(c.connectDeadline());
        }
    }

    /** Connections waiting or not yet dropped (tests). */
    int size() {
        return queue.size();
    }

    private void dropCompleted() {
        Attempt c;
        while ((c = queue.peekFirst()) != null && !c.awaitingConnect()) {
            queue.pollFirst();
        }
    }

    private void arm(long deadline) {
        armed = true;
        loop.schedule(this, Math.max(0, deadline - run.now()), TimeUnit.NANOSECONDS);
    }
}
