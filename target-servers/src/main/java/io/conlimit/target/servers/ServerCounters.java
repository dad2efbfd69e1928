package io.conlimit.target.servers;

import io.conlimit.target.ServerStats;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What a server did, counted from its own threads; {@link #snapshot()} gives the immutable view. */
public final class ServerCounters {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder served = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final AtomicLong inService = new AtomicLong();
    private final AtomicLong queued = new AtomicLong();

    /** accept() returned a connection. */
    public void accepted() {
        accepted.increment();
    }

    /** A worker (or the event loop) starts holding a connection. */
    public void serviceStarted() {
        inService.incrementAndGet();
    }

    /** The holder let go of a connection; {@code completed} when its hold elapsed (or, for forever, the peer closed). */
    public void serviceEnded(boolean completed) {
        inService.decrementAndGet();
        if (completed) {
            served.increment();
        }
    }

    /** A connection was closed, for any reason. */
    public void closed() {
        closed.increment();
    }

    /** thread-pool: a socket entered the hand-off queue. */
    public void enqueued() {
        queued.incrementAndGet();
    }

    /** thread-pool: a worker took a socket off the hand-off queue (or the server dropped it). */
    public void dequeued() {
        queued.decrementAndGet();
    }

    public ServerStats snapshot() {
        return new ServerStats(accepted.sum(), inService.get(), served.sum(), closed.sum(), queued.get());
    }
}
