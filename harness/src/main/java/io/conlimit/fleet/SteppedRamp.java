package io.conlimit.fleet;

/**
 * A rate from λ0 to λ1 in {@code steps} equal steps of T / steps, each at a constant rate (the first at λ0, the last
 * at λ1, evenly between; a single step runs at λ1): Λ is piecewise linear.
 */
record SteppedRamp(double fromPerSecond, double toPerSecond, long durationNanos, int steps) implements RateCurve {
    SteppedRamp {
        if (steps < 1) {
            throw new IllegalArgumentException("a stepped ramp needs at least 1 step, got " + steps);
        }
    }

    /** The rate of step {@code s} (0-based). */
    double rate(int s) {
        return steps == 1 ? toPerSecond : fromPerSecond + (toPerSecond - fromPerSecond) * s / (steps - 1);
    }

    @Override
    public long timeOf(double u) {
        double stepSeconds = durationNanos / 1e9 / steps;
        double before = 0;
        for (int s = 0; s < steps; s++) {
            double rate = rate(s);
            double inStep = rate * stepSeconds;
            if (u < before + inStep) {
                return Math.round((s * stepSeconds + (u - before) / rate) * 1e9);
            }
            before += inStep;
        }
        return -1;
    }

    /** The steps' mean rate times T: (λ0 + λ1) / 2 for two steps or more, λ1 for one. */
    @Override
    public double expectedCount() {
        double seconds = durationNanos / 1e9;
        return steps == 1 ? toPerSecond * seconds : (fromPerSecond + toPerSecond) / 2 * seconds;
    }
}
