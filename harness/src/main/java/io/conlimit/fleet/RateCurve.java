package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;

/**
 * One load shape as the inverse of its cumulative rate: Λ⁻¹(u), the time by which u arrivals are expected. A
 * schedule maps its points u (even or Poisson) through it. One class per shape, as vegeta has a pacer per shape.
 */
interface RateCurve {
    /** Λ⁻¹(u) in nanoseconds from the phase start, or -1 when u lies beyond the shape's end (a falling ramp's, a step's). */
    long timeOf(double u);

    /** Λ(T): the arrivals the whole shape is expected to produce. */
    double expectedCount();

    /** T: how long the phase lasts. */
    long durationNanos();

    /** The shape of a Rate or Ramp phase (a ramp from R to the same R is a constant rate, stepped or not). */
    static RateCurve of(LoadPhase phase) {
        if (phase instanceof LoadPhase.Rate r) {
            return new ConstantRate(r.perSecond(), r.duration().toNanos());
        }
        if (phase instanceof LoadPhase.Ramp r) {
            long d = r.duration().toNanos();
            if (r.fromPerSecond() == r.toPerSecond()) {
                return new ConstantRate(r.fromPerSecond(), d);
            }
            return r.steps() == 0 ? new LinearRamp(r.fromPerSecond(), r.toPerSecond(), d)
                    : new SteppedRamp(r.fromPerSecond(), r.toPerSecond(), d, r.steps());
        }
        throw new IllegalArgumentException("no arrival schedule for " + phase);
    }
}
