package io.conlimit.target;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How long a server keeps each connection busy before closing it: a fixed time, exponential with a
 * mean ({@code exp:D}), or {@code forever}. With W workers it sets the service rate mu = W / mean hold.
 */
public sealed interface HoldSpec {

    /** Mean hold time, or null when the server holds forever (mu = 0). */
    Duration mean();

    /** One hold time in nanoseconds; {@code Long.MAX_VALUE} for forever. */
    long sampleNanos(SplittableRandom random);

    record Fixed(Duration duration) implements HoldSpec {
        @Override
        public Duration mean() {
            return duration;
        }

        @Override
        public long sampleNanos(SplittableRandom random) {
            return duration.toNanos();
        }

        @Override
        public String toString() {
            return Durations.format(duration);
        }
    }

    record Exponential(Duration mean) implements HoldSpec {
        @Override
        public long sampleNanos(SplittableRandom random) {
            return (long) (-Math.log(1.0 - random.nextDouble()) * mean.toNanos());
        }

        @Override
        public String toString() {
            return "exp:" + Durations.format(mean);
        }
    }

    record Forever() implements HoldSpec {
        @Override
        public Duration mean() {
            return null;
        }

        @Override
        public long sampleNanos(SplittableRandom random) {
            return Long.MAX_VALUE;
        }

        @Override
        public String toString() {
            return "forever";
        }
    }

    /** Parses {@code D|exp:D|forever}, D a duration such as 250ms. */
    static HoldSpec parse(String text) {
        String t = text.trim();
        if (t.equals("forever")) {
            return new Forever();
        }
        if (t.startsWith("exp:")) {
            return new Exponential(Durations.parse(t.substring(4)));
        }
        return new Fixed(Durations.parse(t));
    }
}
