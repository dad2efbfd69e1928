package io.conlimit.theory;

import io.conlimit.target.ServerKind;

import java.time.Duration;

/**
 * Arrivals rising linearly from a to b per second over D (a stepped ramp is treated as linear).
 * The queue starts growing when lambda(t) crosses mu, at t* = D (mu - a) / (b - a); from there it grows
 * by the integral of lambda - mu, so it holds K = Q+B+1 (plus W when mu = 0) after s seconds where
 * k s^2 / 2 + c0 s = K, k = (b-a)/D, c0 = lambda(t*) - mu.
 *
 * @param crossingS  when lambda reaches mu (NaN when it never does)
 * @param fullAfterS when the accept queue is full (NaN when not within the ramp)
 */
public record RampForecast(double from, double to, double mu, double crossingS, double fullAfterS) {

    /** @return null when the model cannot say */
    public static RampForecast of(ServiceModel m, double from, double to, Duration duration) {
        if (m.kind() == null || m.effectiveBacklog() < 0) {
            return null;
        }
        double mu = m.serviceRate();
        double d = duration.toNanos() / 1e9;
        if (m.kind() == ServerKind.EVENT_LOOP || to <= mu) {
            return new RampForecast(from, to, mu, Double.NaN, Double.NaN);
        }
        double k = (to - from) / d;
        double crossing = from >= mu ? 0 : d * (mu - from) / (to - from);
        double c0 = from >= mu ? from - mu : 0;
        double slots = m.queueSlots() + (m.kind() == ServerKind.THREAD_POOL ? m.queue() : 0)
                + (mu == 0 ? m.workers() : 0);
        double s = k == 0 ? slots / c0 : (-c0 + Math.sqrt(c0 * c0 + 2 * k * slots)) / k;
        double full = crossing + s;
        return new RampForecast(from, to, mu, crossing, full <= d ? full : Double.NaN);
    }
}
