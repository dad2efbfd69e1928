package io.conlimit.fleet;

import java.util.SplittableRandom;

/**
 * Poisson arrivals: a unit-rate Poisson process in "expected count" space (exponential gaps from a seeded
 * SplittableRandom) mapped through Λ⁻¹. One ordered random draw, so it is drawn under the schedule's lock; a shard
 * draws the whole schedule and skips the other shards' arrivals.
 */
final class PoissonSchedule implements ArrivalSchedule {
    private final RateCurve curve;
    private final long seed;
    private final int shardIndex;
    private final int shardCount;
    private final SplittableRandom random;
    private double u;
    /** The index of the next arrival of the whole schedule. */
    private long index;
    private boolean done;

    PoissonSchedule(RateCurve curve, long seed, int shardIndex, int shardCount) {
        ArrivalSchedule.checkShard(shardIndex, shardCount);
        this.curve = curve;
        this.seed = seed;
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
        this.random = new SplittableRandom(seed);
        this.u = exp();
    }

    @Override
    public ArrivalSchedule shard(int index, int count) {
        return new PoissonSchedule(curve, seed, index, count);
    }

    @Override
    public synchronized long next() {
        while (true) {
            long i = index;
            long t = nextOfAll();
            if (t < 0 || i % shardCount == shardIndex) {
                return t;
            }
        }
    }

    /** The next arrival of the whole (unsharded) schedule. */
    private long nextOfAll() {
        if (done) {
            return -1;
        }
        long t = curve.timeOf(u);
        if (t < 0 || t >= curve.durationNanos()) {
            done = true;
            return -1;
        }
        u += exp();
        index++;
        return t;
    }

    @Override
    public double expectedCount() {
        return curve.expectedCount();
    }

    private double exp() {
        return -Math.log(1.0 - random.nextDouble());
    }
}
