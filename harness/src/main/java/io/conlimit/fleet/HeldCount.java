package io.conlimit.fleet;

/**
 * One hold-probe connection's place in its phase's held and served counts ({@link PhaseStats#heldNow},
 * {@link PhaseStats#servedNow}), touched on the probe's one event loop only. Held from its handshake until the
 * application refuses it or it closes; served from its {@code ok} until it closes. A refusal or a reset leaves
 * the counts at once, before its close arrives.
 */
final class HeldCount {
    private final PhaseStats phase;
    private boolean held;
    private boolean served;

    HeldCount(PhaseStats phase) {
        this.phase = phase;
    }

    /** The handshake completed. */
    void handshake() {
        held = true;
        phase.heldNow++;
    }

    /**
     * The connection's outcome: served, handshake only or still waiting for a worker (connected-unserved) stay
     * held; anything else leaves.
     *
     * @return whether the probe keeps the connection open until the end
     */
    boolean decided(Outcome o) {
        if (o == Outcome.OK || o == Outcome.CONNECTED || o == Outcome.CONNECTED_UNSERVED) {
            if (o == Outcome.OK) {
                served = true;
                phase.servedNow++;
            }
            return true;
        }
        release();
        return false;
    }

    /** Leaves both counts (refused, reset or closed); idempotent. */
    void release() {
        if (held) {
            held = false;
            phase.heldNow--;
        }
        if (served) {
            served = false;
            phase.servedNow--;
        }
    }

    /** Whether it is held now: handshake completed, open, not refused by the application. */
    boolean held() {
        return held;
    }
}
