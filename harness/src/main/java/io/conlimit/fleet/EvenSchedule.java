package io.conlimit.fleet;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Evenly spaced arrivals: the i-th is Λ⁻¹(i), computed from i (no drift). Lock-free: the event loops share one
 * counter, one atomic increment per arrival; a shard's k-th arrival is arrival {@code index + k * count} of the one
 * schedule.
 */
final class EvenSchedule implements ArrivalSchedule {
    private final RateCurve curve;
    private final int shardIndex;
    private final int shardCount;
    /** This shard's next arrival, shared by the loops without a lock. */
    private final AtomicLong next = new AtomicLong();

    EvenSchedule(RateCurve curve, int shardIndex, int shardCount) {
        ArrivalSchedule.checkShard(shardIndex, shardCount);
        this.curve = curve;
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
    }

    @Override
    public ArrivalSchedule shard(int index, int count) {
        return new EvenSchedule(curve, index, count);
    }

    @Override
    public long next() {
        long i = shardIndex + next.getAndIncrement() * shardCount;
        long t = curve.timeOf(i); // Λ⁻¹ grows with u: past the end stays past the end
        return t < 0 || t >= curve.durationNanos() ? -1 : t;
    }

    @Override
    public double expectedCount() {
        return curve.expectedCount();
    }
}
