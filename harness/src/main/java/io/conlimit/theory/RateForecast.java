package io.conlimit.theory;

import io.conlimit.target.ServerKind;

import java.time.Duration;

/**
 * An open-loop arrival stream of lambda/s for a duration against a server completing mu/s. When
 * lambda <= mu no queue builds. Otherwise the workers are all busy after W/lambda s, then the accept
 * queue (and thread-pool's Q) fills at lambda - mu: full after about W/lambda + (Q+B+1)/(lambda-mu) s,
 * after which about lambda - mu new SYNs per second are dropped (plus their retransmits).
 *
 * @param lambda       arrivals per second
 * @param mu           service rate per second (0 when the server holds for ever)
 * @param overloaded   lambda > mu
 * @param queueFillS   (Q + B + 1) / (lambda - mu): seconds the queue takes to fill once the workers are busy, NaN when not overloaded
 * @param fullAfterS   seconds from the phase's start until the accept queue is full (W / lambda + queueFillS), NaN when not within the phase
 * @param dropRate     new SYNs dropped per second once full (0 when never full)
 * @param arrivals     lambda * duration
 * @param admittedLow  connections expected to get in by the phase's end: min(arrivals, capacity + mu * D)
 * @param admittedHigh the same counting the retries that still succeed up to one connect timeout later
 */
public record RateForecast(double lambda, double mu, boolean overloaded, double queueFillS, double fullAfterS, double dropRate,
                           long arrivals, long admittedLow, long admittedHigh) {

    /** @return null when the model cannot say (unknown kind or B) */
    public static RateForecast of(ServiceModel m, double lambda, Duration duration, Duration connectTimeout) {
        if (m.kind() == null || m.effectiveBacklog() < 0) {
            return null;
        }
        double mu = m.serviceRate();
        double d = duration.toNanos() / 1e9;
        long arrivals = Math.round(lambda * d);
        if (m.kind() == ServerKind.EVENT_LOOP || lambda <= mu) {
            return new RateForecast(lambda, mu, false, Double.NaN, Double.NaN, 0, arrivals, arrivals, arrivals);
        }
        double workersPart = m.kind() == ServerKind.SLEEPY_ACCEPT ? 0 : m.workers() / lambda;
        int queue = m.queueSlots() + (m.kind() == ServerKind.THREAD_POOL ? m.queue() : 0);
        double queueFill = queue / (lambda - mu);
        double fullAfter = workersPart + queueFill;
        double capacity = queue + (m.kind() == ServerKind.SLEEPY_ACCEPT ? 1 : m.workers());
        double c = connectTimeout.toNanos() / 1e9;
        long low = Math.min(arrivals, (long) Math.floor(capacity + mu * d));
        long high = Math.min(arrivals, (long) Math.floor(capacity + mu * (d + c)));
        boolean fills = fullAfter < d;
        return new RateForecast(lambda, mu, true, queueFill, fills ? fullAfter : Double.NaN, fills ? lambda - mu : 0, arrivals, low, high);
    }

    /** Whether the queue is expected to fill within the phase. */
    public boolean fills() {
        return !Double.isNaN(fullAfterS);
    }
}
