package io.conlimit.fleet;

import io.netty.channel.EventLoop;

/**
 * A decided connection kept open until the run ends (hold until-end, the hold probe's held connections), on either
 * connect path: the fleet closes it on its own loop once everything else has settled.
 */
interface HeldToEnd {
    /** The event loop that owns it: {@link #closeAtEnd()} runs there. */
    EventLoop loop();

    /** Closes it (per the close mode) and reports the close. Event-loop thread only. */
    void closeAtEnd();
}
