package io.conlimit.fleet;

/** A rate from λ0 to λ1 linearly over T: Λ(t) = λ0 t + (λ1 - λ0) t² / 2T, inverted by the quadratic formula. */
record LinearRamp(double fromPerSecond, double toPerSecond, long durationNanos) implements RateCurve {
    @Override
    public long timeOf(double u) {
        double k = (toPerSecond - fromPerSecond) / (durationNanos / 1e9);
        double disc = fromPerSecond * fromPerSecond + 2 * k * u;
        if (disc < 0) {
            return -1; // a falling ramp: u lies beyond the end
        }
        return Math.round((-fromPerSecond + Math.sqrt(disc)) / k * 1e9);
    }

    @Override
    public double expectedCount() {
        return (fromPerSecond + toPerSecond) / 2 * (durationNanos / 1e9);
    }
}
