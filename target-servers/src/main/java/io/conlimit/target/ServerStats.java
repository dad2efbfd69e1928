package io.conlimit.target;

/**
 * A snapshot of what the application did, to set beside what the kernel did.
 *
 * @param accepted  connections returned by accept()
 * @param inService connections a worker (or the event loop) is holding now
 * @param served    connections whose service completed (hold elapsed)
 * @param closed    connections closed, for any reason
 * @param queued    thread-pool: sockets waiting in the hand-off queue; 0 for other kinds
 */
public record ServerStats(long accepted, long inService, long served, long closed, long queued) {
}
