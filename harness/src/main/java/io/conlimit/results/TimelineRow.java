package io.conlimit.results;

import io.conlimit.fleet.Outcome;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One timeline.csv row: one reporting interval.
 *
 * @param second        end of the interval, seconds since the run epoch
 * @param started       connect() calls during the interval
 * @param outcomes      outcomes decided during the interval, every outcome present
 * @param inFlight      started and not yet decided at the end of the interval
 * @param lateStarts    late starts during the interval
 * @param connectP50Ms  median connect latency (from intended start) of the connections that completed in the
 *                      interval; empty when none did
 * @param connectP99Ms  99th percentile, likewise
 */
public record TimelineRow(double second, long started, Map<Outcome, Long> outcomes, long inFlight, long lateStarts,
                          OptionalDouble connectP50Ms, OptionalDouble connectP99Ms) {
    public TimelineRow {
        EnumMap<Outcome, Long> copy = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            copy.put(o, outcomes.getOrDefault(o, 0L));
        }
        outcomes = Collections.unmodifiableMap(copy);
    }

    public long outcome(Outcome o) {
        return outcomes.get(o);
    }

    /** Outcomes decided in the interval, all kinds together. */
    public long decided() {
        long n = 0;
        for (long v : outcomes.values()) {
            n += v;
        }
        return n;
    }
}
