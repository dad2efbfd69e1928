package io.conlimit.fleet;

/** λ arrivals per second throughout: Λ(t) = λt, so Λ⁻¹(u) = u / λ. */
record ConstantRate(double perSecond, long durationNanos) implements RateCurve {
    @Override
    public long timeOf(double u) {
        return Math.round(u * 1e9 / perSecond);
    }

    @Override
    public double expectedCount() {
        return perSecond * (durationNanos / 1e9);
    }
}
