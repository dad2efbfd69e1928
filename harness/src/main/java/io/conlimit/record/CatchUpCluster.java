package io.conlimit.record;

/**
 * Late starts released together after a client stall: connect() calls of one phase, each more than the late
 * threshold behind its intended start, each less than the threshold after the one before (on any event loop).
 * An open-loop schedule that fell behind (GC pause, a loop busy with completions, a loaded machine) sends every
 * overdue connect at once: to the server that is a burst, which its backlog may not hold.
 *
 * @param phase           the load phase's index
 * @param firstCallNanos  the first connect() call of the cluster (run epoch)
 * @param lastCallNanos   the last one
 * @param connections     late starts in it (the on-time starts that follow them at once are not counted: a lower bound)
 */
record CatchUpCluster(int phase, long firstCallNanos, long lastCallNanos, long connections) {

    /** Whether {@code next} (starting no earlier than this one) continues it: same phase, within {@code gapNanos}. */
    boolean joins(CatchUpCluster next, long gapNanos) {
        return next.phase == phase && next.firstCallNanos - lastCallNanos <= gapNanos;
    }

    CatchUpCluster merge(CatchUpCluster next) {
        return new CatchUpCluster(phase, Math.min(firstCallNanos, next.firstCallNanos),
                Math.max(lastCallNanos, next.lastCallNanos), connections + next.connections);
    }
}
