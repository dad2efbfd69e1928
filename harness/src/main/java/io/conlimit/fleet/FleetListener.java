package io.conlimit.fleet;

/**
 * Receives what the client fleet observes. Called on the fleet's event-loop threads, many at once:
 * implementations must be thread-safe, must not block and should not allocate beyond the record itself
 * (record into per-thread HdrHistogram recorders, hand records to a writer thread through a queue).
 */
public interface FleetListener {

    /** connect() was called for a connection meant to start at {@code intendedNanos}. */
    void started(int phase, long intendedNanos, long connectCallNanos);

    /** The outcome is decided (histograms, outcome counts and the timeline take it from here). */
    void decided(ConnectionRecord record);

    /** The connection is closed: the final record, {@code closedNanos} set (connections.csv takes it from here). */
    void closed(ConnectionRecord record);

    /**
     * Called on each event loop before it starts the connections of a burst, rate or ramp phase, so that
     * per-thread state (recorders) is allocated before the first intended start rather than on it. Cheap to
     * call again; the default does nothing.
     */
    default void prepareThread() {
    }

    FleetListener NONE = new FleetListener() {
        @Override
        public void started(int phase, long intendedNanos, long connectCallNanos) {
        }

        @Override
        public void decided(ConnectionRecord record) {
        }

        @Override
        public void closed(ConnectionRecord record) {
        }
    };
}
