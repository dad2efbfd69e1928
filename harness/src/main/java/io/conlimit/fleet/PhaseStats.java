package io.conlimit.fleet;

import java.util.concurrent.atomic.AtomicLong;

/** What one phase of a run did, filled in by event loops while it runs. */
final class PhaseStats {
    /** Called on the event loop when a connection of this phase is decided (the hold probe steers itself with it). */
    interface DecisionHook {
        /** The connection's handshake completed (before the probe's answer, if it waits for one). */
        void handshake(Connection connection);

        void decided(Connection connection, io.conlimit.fleet.Outcome outcome);
    }

    final int index;
    final String description;
    final boolean holdProbe;
    private final AtomicLong firstCall = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastCall = new AtomicLong(Long.MIN_VALUE);
    /**
     * Hold probe, touched on its one event loop only: connections open now whose handshake completed and that the
     * application has not refused (ok, connected, or waiting for an answer), and of them those it served (ok);
     * the most of each seen when the probe looked (a gap after each handshake, so a refusal that follows the
     * handshake at once is never counted as held).
     */
    int heldNow;
    int heldMax;
    int servedNow;
    int servedMax;
    /** Hold probe: why it stopped ("failures", "max-held", "client-limited", "attempts"), null while running. */
    volatile String stoppedBy;
    volatile DecisionHook hook;
    /** What went wrong with the shape itself, sentences joined by "; " ({@link #addNote}); "" when nothing. */
    private String note = "";

    PhaseStats(int index, String description, boolean holdProbe) {
        this.index = index;
        this.description = description;
        this.holdProbe = holdProbe;
    }

    /** Adds a sentence to the phase's note (the warm-up may have written one already): never replaces one. */
    synchronized void addNote(String sentence) {
        note = note.isEmpty() ? sentence : note + "; " + sentence;
    }

    synchronized String note() {
        return note;
    }

    /** Merges one event loop's first and last connect() call times. */
    void calls(long first, long last) {
        firstCall.accumulateAndGet(first, Math::min);
        lastCall.accumulateAndGet(last, Math::max);
    }

    long firstCall() {
        long v = firstCall.get();
        return v == Long.MAX_VALUE ? -1 : v;
    }

    long lastCall() {
        long v = lastCall.get();
        return v == Long.MIN_VALUE ? -1 : v;
    }
}
