package io.conlimit.target;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the durations every conlimit option accepts: {@code 250ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, {@code 100us}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|ms|s|m|h)");

    /** The longest duration any option accepts: a week (a longer hold is {@code forever}; no load needs more). */
    public static final Duration MAX = Duration.ofHours(168);

    private Durations() {
    }

    /**
     * @throws IllegalArgumentException naming the accepted forms when {@code text} is not one of them, or when it is
     *                                  longer than {@link #MAX}
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            if (t.equals("0")) {
                return Duration.ZERO;
            }
            throw new IllegalArgumentException("'" + text + "' is not a duration: use a number and a unit, e.g. 250ms, 2s, 1.5s, 1m");
        }
        double value = Double.parseDouble(m.group(1));
        double nanosPerUnit = switch (m.group(2)) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new AssertionError(m.group(2));
        };
        double nanos = value * nanosPerUnit;
        if (nanos > MAX.toNanos()) {
            throw new IllegalArgumentException("'" + text + "' is longer than " + format(MAX)
                    + " (a week), the longest duration conlimit accepts");
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** The shortest exact form among h, m, s, ms, us, ns; otherwise milliseconds with decimals. */
    /**
     * A time to wait or waited, for people: {@code 850 ms}, {@code 14.7 s}, {@code 2 min 05 s}, {@code 22 h 15 min},
     * {@code 3 days 4 h} (truncated, never rounded up); a negative value reads as 0 ms.
     */
    public static String human(long nanos) {
        long ms = Math.max(0, nanos) / 1_000_000;
        if (ms < 1_000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%d.%d s", ms / 1_000, ms % 1_000 / 100);
        }
        long s = ms / 1_000;
        if (s < 3_600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        long m = s / 60;
        if (m < 48 * 60) {
            return String.format(Locale.ROOT, "%d h %02d min", m / 60, m % 60);
        }
        return String.format(Locale.ROOT, "%d days %d h", m / 1_440, m % 1_440 / 60);
    }

    public static String format(Duration d) {
        long n = d.toNanos();
        if (n == 0) {
            return "0s";
        }
        if (n % 3_600_000_000_000L == 0) {
            return n / 3_600_000_000_000L + "h";
        }
        if (n % 60_000_000_000L == 0) {
            return n / 60_000_000_000L + "m";
        }
        if (n % 1_000_000_000L == 0) {
            return n / 1_000_000_000L + "s";
        }
        if (n % 1_000_000L == 0) {
            return n / 1_000_000L + "ms";
        }
        if (n % 1_000L == 0) {
            return n / 1_000L + "us";
        }
        return n + "ns";
    }
}
