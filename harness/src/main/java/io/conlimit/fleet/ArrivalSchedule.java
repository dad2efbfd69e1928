package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;

/**
 * The intended start times of an open-loop phase, in nanoseconds from the phase start, in order. Two parts, each a
 * small class: the load's shape is a {@link RateCurve} (its cumulative rate Λ(t) and the inverse: {@link ConstantRate},
 * {@link LinearRamp}, {@link SteppedRamp}); the arrival process walks points u in "expected count" space through
 * Λ⁻¹, evenly (u = 0, 1, 2...: {@link EvenSchedule}) or as a unit-rate Poisson process ({@link PoissonSchedule}).
 * Thread-safe: the event loops take times from one shared schedule, so they never skip or re-time one.
 */
public interface ArrivalSchedule {
    /** The schedule of a Rate or Ramp phase; {@code seed} drives Poisson gaps. */
    static ArrivalSchedule of(LoadPhase phase, long seed) {
        RateCurve curve = RateCurve.of(phase);
        if (phase instanceof LoadPhase.Rate r && r.poisson()) {
            return new PoissonSchedule(curve, seed, 0, 1);
        }
        return new EvenSchedule(curve, 0, 1);
    }

    /**
     * A schedule, from its start, that keeps only every {@code count}-th arrival, starting with arrival {@code index}
     * (0-based) of the one schedule: the shards 0..count-1 of a fleet together produce exactly the unsharded
     * schedule's times.
     */
    ArrivalSchedule shard(int index, int count);

    /** The next intended start (ns from the phase start), or -1 when the phase has no more arrivals. */
    long next();

    /** Arrivals the whole (unsharded) schedule is expected to produce (Λ(T)), for sizing checks. */
    double expectedCount();

    /** @throws IllegalArgumentException when there is no such shard */
    static void checkShard(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist");
        }
    }
}
