package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;

import java.util.SplittableRandom;

/**
 * The intended start times of an open-loop phase, in nanoseconds from the phase start, in order.
 * Arrivals are points u = 0, 1, 2... (even) or a unit-rate Poisson process (exponential gaps from a seeded
 * SplittableRandom) in "expected count" space, mapped to time through the inverse of the cumulative rate
 * Λ(t): Λ(t) = λt for a constant rate, λ0 t + (λ1-λ0) t²/2T for a linear ramp, piecewise linear for steps.
 * Thread-safe: the event loops take times from one shared schedule, so they never skip or re-time one. An even
 * schedule takes no lock (the i-th arrival is Λ⁻¹(i): one atomic increment per arrival); a Poisson one draws its
 * gaps in order, under the schedule's lock.
 */
public final class ArrivalSchedule {
    private final double from;
    private final double to;
    private final long durationNanos;
    private final int steps;
    private final SplittableRandom random;
    /** Even schedules: the next arrival's index, shared by the loops without a lock. */
    private final java.util.concurrent.atomic.AtomicLong index = new java.util.concurrent.atomic.AtomicLong();
    private double u;
    /** Poisson schedules: the index of the next arrival of the whole schedule (under the lock). */
    private long poissonIndex;
    private boolean done;
    /** A shard keeps only the arrivals whose index modulo {@code shardCount} is {@code shardIndex} (1 of 1: all). */
    private int shardIndex;
    private int shardCount = 1;

    private ArrivalSchedule(double from, double to, long durationNanos, int steps, SplittableRandom random) {
        this.from = from;
        this.to = to;
        this.durationNanos = durationNanos;
        this.steps = steps;
        this.random = random;
        if (random != null) {
            u = exp();
        }
    }

    /** The schedule of a Rate or Ramp phase; {@code seed} drives Poisson gaps. */
    public static ArrivalSchedule of(LoadPhase phase, long seed) {
        if (phase instanceof LoadPhase.Rate r) {
            return new ArrivalSchedule(r.perSecond(), r.perSecond(), r.duration().toNanos(), 0,
                    r.poisson() ? new SplittableRandom(seed) : null);
        }
        if (phase instanceof LoadPhase.Ramp r) {
            return new ArrivalSchedule(r.fromPerSecond(), r.toPerSecond(), r.duration().toNanos(), r.steps(), null);
        }
        throw new IllegalArgumentException("no arrival schedule for " + phase);
    }

    /**
     * This schedule keeps only every {@code count}-th arrival, starting with arrival {@code index} (0-based) of the
     * one schedule: the shards 0..count-1 of a fleet together produce exactly the unsharded schedule's times.
     */
    public ArrivalSchedule shard(int index, int count) {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + " of " + count + " does not exist");
        }
        this.shardIndex = index;
        this.shardCount = count;
        return this;
    }

    /** The next intended start (ns from the phase start), or -1 when the phase has no more arrivals. */
    public long next() {
        if (random != null) {
            return nextPoisson();
        }
        // this shard's k-th arrival is arrival shardIndex + k * shardCount of the one schedule
        long i = shardIndex + index.getAndIncrement() * shardCount;
        long t = timeOf(i); // Λ⁻¹ grows with u: past the end stays past the end
        return t < 0 || t >= durationNanos ? -1 : t;
    }

    /** Poisson arrivals are one ordered random draw: drawn under the lock, the other shards' arrivals skipped. */
    private synchronized long nextPoisson() {
        while (true) {
            long i = poissonIndex;
            long t = nextPoissonOfAll();
            if (t < 0 || i % shardCount == shardIndex) {
                return t;
            }
        }
    }

    /** The next arrival of the whole (unsharded) Poisson schedule. */
    private long nextPoissonOfAll() {
        if (done) {
            return -1;
        }
        long t = timeOf(u);
        if (t < 0 || t >= durationNanos) {
            done = true;
            return -1;
        }
        u += exp();
        poissonIndex++;
        return t;
    }

    /** Arrivals the schedule is expected to produce (Λ(T)), for sizing checks. */
    public double expectedCount() {
        double seconds = durationNanos / 1e9;
        return (from + to) / 2 * seconds;
    }

    private double exp() {
        return -Math.log(1.0 - random.nextDouble());
    }

    /** Λ⁻¹(u) in nanoseconds, or -1 beyond the end. */
    private long timeOf(double u) {
        double seconds = durationNanos / 1e9;
        if (from == to) {
            return Math.round(u * 1e9 / from);
        }
        if (steps == 0) {
            double k = (to - from) / seconds;
            double disc = from * from + 2 * k * u;
            if (disc < 0) {
                return -1; // a falling ramp: u lies beyond the end
            }
            return Math.round((-from + Math.sqrt(disc)) / k * 1e9);
        }
        double stepSeconds = seconds / steps;
        double before = 0;
        for (int s = 0; s < steps; s++) {
            double rate = steps == 1 ? to : from + (to - from) * s / (steps - 1);
            double inStep = rate * stepSeconds;
            if (u < before + inStep) {
                return Math.round((s * stepSeconds + (u - before) / rate) * 1e9);
            }
            before += inStep;
        }
        return -1;
    }

    /** The rate of step {@code s} of a stepped ramp, for descriptions. */
    static double stepRate(LoadPhase.Ramp r, int s) {
        return r.steps() == 1 ? r.toPerSecond() : r.fromPerSecond() + (r.toPerSecond() - r.fromPerSecond()) * s / (r.steps() - 1);
    }
}
