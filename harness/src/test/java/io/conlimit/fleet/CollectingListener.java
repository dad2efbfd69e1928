package io.conlimit.fleet;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A thread-safe FleetListener that keeps everything it is told, for tests. */
class CollectingListener implements FleetListener {
    final AtomicInteger started = new AtomicInteger();
    private final List<long[]> starts = new ArrayList<>();
    private final List<ConnectionRecord> decided = new ArrayList<>();
    private final List<ConnectionRecord> closed = new ArrayList<>();

    @Override
    public synchronized void started(int phase, long intendedNanos, long connectCallNanos) {
        starts.add(new long[] {phase, intendedNanos, connectCallNanos});
        started.incrementAndGet();
    }

    @Override
    public synchronized void decided(ConnectionRecord record) {
        decided.add(record);
    }

    @Override
    public synchronized void closed(ConnectionRecord record) {
        closed.add(record);
    }

    synchronized List<long[]> starts() {
        return List.copyOf(starts);
    }

    synchronized List<ConnectionRecord> decided() {
        return List.copyOf(decided);
    }

    synchronized List<ConnectionRecord> closed() {
        return List.copyOf(closed);
    }

    synchronized Map<Outcome, Integer> outcomes() {
        Map<Outcome, Integer> m = new EnumMap<>(Outcome.class);
        for (ConnectionRecord r : closed) {
            m.merge(r.outcome(), 1, Integer::sum);
        }
        return m;
    }

    /** The single closed record, failing when there is not exactly one. */
    synchronized ConnectionRecord only() {
        if (closed.size() != 1 || decided.size() != 1) {
            throw new AssertionError("expected exactly one connection, got decided=" + decided + " closed=" + closed);
        }
        return closed.get(0);
    }
}
