package io.conlimit.plan;

import java.time.Duration;

/** One phase of a run's load: the shapes the listen-backlog question is about. */
public sealed interface LoadPhase {
    /** The highest arrival rate a rate or ramp may ask for, per second (this fleet sustains about 20,000/s: docs/benchmarks.md). */
    double MAX_RATE = 1_000_000;
    /** The most connections one rate or ramp phase may start (rate x duration). */
    double MAX_PHASE_CONNECTIONS = 100_000_000;

    /** Null when a rate (or a ramp's top rate) over {@code duration} is within the bounds; else what is wrong. */
    static String rateProblem(double topPerSecond, double meanPerSecond, Duration duration) {
        if (topPerSecond > MAX_RATE) {
            return String.format(java.util.Locale.ROOT, "%,.0f/s is above the highest rate conlimit sends, %,.0f/s", topPerSecond, MAX_RATE);
        }
        double total = meanPerSecond * duration.toNanos() / 1e9;
        if (total > MAX_PHASE_CONNECTIONS) {
            return String.format(java.util.Locale.ROOT, "%,.0f connections in one phase (rate x duration) is more than %,.0f: "
                    + "shorten the duration", total, MAX_PHASE_CONNECTIONS);
        }
        return null;
    }

    /** N connects released at the same instant from all event loops (everything prepared first). */
    record Burst(int connections) implements LoadPhase {
        public Burst {
            if (connections < 1) {
                throw new IllegalArgumentException("burst needs at least 1 connection, got " + connections);
            }
        }
    }

    /** An open-loop arrival stream of {@code perSecond} connections/s for {@code duration}, evenly spaced or Poisson. */
    record Rate(double perSecond, Duration duration, boolean poisson) implements LoadPhase {
        public Rate {
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("rate must be above 0/s, got " + perSecond);
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("rate needs a duration above 0");
            }
            String problem = LoadPhase.rateProblem(perSecond, perSecond, duration);
            if (problem != null) {
                throw new IllegalArgumentException("rate: " + problem);
            }
        }
    }

    /** Arrival rate from {@code fromPerSecond} to {@code toPerSecond} over {@code duration}: linear when steps is 0, else in that many equal steps. */
    record Ramp(double fromPerSecond, double toPerSecond, Duration duration, int steps) implements LoadPhase {
        public Ramp {
            if (fromPerSecond < 0 || !(toPerSecond > 0)) {
                throw new IllegalArgumentException("ramp rates must be >= 0 and end above 0");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("ramp needs a duration above 0");
            }
            if (steps < 0) {
                throw new IllegalArgumentException("ramp steps must be 0 (linear) or more");
            }
            String problem = LoadPhase.rateProblem(Math.max(fromPerSecond, toPerSecond), (fromPerSecond + toPerSecond) / 2, duration);
            if (problem != null) {
                throw new IllegalArgumentException("ramp: " + problem);
            }
        }
    }

    /**
     * The concurrent-limit probe: open connections one at a time, {@code gap} apart, keep all of them open;
     * stop after {@code stopAfterFailures} consecutive failures or {@code maxHeld} held. Reports the largest number held.
     */
    record HoldProbe(Duration gap, int maxHeld, int stopAfterFailures) implements LoadPhase {
        public HoldProbe {
            if (maxHeld < 1 || stopAfterFailures < 1) {
                throw new IllegalArgumentException("hold probe needs max-held >= 1 and stop-after-failures >= 1");
            }
        }
    }

    /** No new connections for {@code duration}. */
    record Pause(Duration duration) implements LoadPhase {
    }

    /**
     * No new connections until every connection started so far has its outcome (served, refused, failed...), at
     * most {@code max}: the next phase then starts from a known state (e.g. the workers busy with the connections
     * of the phase before), as Hyperfoil's startAfterStrict does. A held connection counts as settled once its
     * outcome is decided; it stays open.
     */
    record Settle(Duration max) implements LoadPhase {
        public Settle {
            if (max.isNegative() || max.isZero()) {
                throw new IllegalArgumentException("settle needs a maximum wait above 0");
            }
        }
    }

    /** Whether this phase opens connections (burst, rate, ramp, hold probe), as opposed to pause and settle. */
    default boolean opensConnections() {
        return !(this instanceof Pause || this instanceof Settle);
    }
}
