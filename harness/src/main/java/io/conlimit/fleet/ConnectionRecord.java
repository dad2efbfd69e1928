package io.conlimit.fleet;

/**
 * What one connection went through. All times are nanoseconds since the run's epoch
 * ({@link FleetListener} implementations get the same epoch); -1 where the event never happened.
 *
 * @param id              sequence number within the run, from 0
 * @param phase           index of the load phase that started it
 * @param intendedNanos   when the load shape meant it to start (latency counts from here)
 * @param connectCallNanos when connect() was actually called
 * @param connectedNanos  when the handshake completed, -1 if it did not
 * @param firstByteNanos  when the first response byte arrived (probes that expect one), -1 otherwise
 * @param decidedNanos    when the outcome was decided
 * @param closedNanos     when the connection was closed, -1 while it is still open
 * @param outcome         the outcome
 * @param synRetransmits  SYN retransmits from TCP_INFO tcpi_total_retrans read when the connect completed
 *                        or failed; -1 when unknown (NIO transport)
 * @param local           local address:port, or "" when no socket was bound
 * @param close           how it closed: fin, rst, peer-fin, peer-rst, open (not closed yet), none (never connected)
 * @param detail          errno/message for error and client-limited outcomes, "" otherwise
 */
public record ConnectionRecord(long id, int phase, long intendedNanos, long connectCallNanos, long connectedNanos,
                               long firstByteNanos, long decidedNanos, long closedNanos, Outcome outcome,
                               int synRetransmits, String local, String close, String detail) {

    /** Connect latency from the intended start (coordinated-omission corrected), -1 if not connected. */
    public long connectFromIntendedNanos() {
        return connectedNanos < 0 ? -1 : connectedNanos - intendedNanos;
    }

    /** Connect latency from the actual connect() call (the service time), -1 if not connected. */
    public long connectFromCallNanos() {
        return connectedNanos < 0 ? -1 : connectedNanos - connectCallNanos;
    }

    /** How late the connect() call ran behind its intended start. */
    public long startDelayNanos() {
        return connectCallNanos - intendedNanos;
    }

    /** Time to first response byte from the connect completion, -1 if none. */
    public long ttfbNanos() {
        return firstByteNanos < 0 || connectedNanos < 0 ? -1 : firstByteNanos - connectedNanos;
    }

    /** This record, closed at {@code nanos} in the given way. */
    public ConnectionRecord closedAt(long nanos, String how) {
        return new ConnectionRecord(id, phase, intendedNanos, connectCallNanos, connectedNanos, firstByteNanos,
                decidedNanos, nanos, outcome, synRetransmits, local, how, detail);
    }
}
