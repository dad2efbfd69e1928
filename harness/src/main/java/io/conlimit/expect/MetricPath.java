package io.conlimit.expect;

import io.conlimit.fleet.Outcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A dotted path into summary.json, as written and as resolved through the aliases: {@code connect.p99}
 * -> {@code connect_ms.p99}, {@code ttfb.*} -> {@code ttfb_ms.*}, {@code connect_service.*} ->
 * {@code connect_service_ms.*}, {@code launch_spread} -> {@code launch_spread_ms}, and a bare outcome name
 * ({@code ok}, {@code connect-timeout}, ...) -> {@code outcomes.NAME}.
 *
 * @param written  the path as the user wrote it
 * @param segments the resolved keys
 */
public record MetricPath(String written, List<String> segments) {

    /** Aliases for the first segment: the summary's time metrics carry their unit in the key. */
    static final Map<String, String> FIRST_SEGMENT_ALIASES = Map.of(
            "connect", "connect_ms",
            "connect_service", "connect_service_ms",
            "ttfb", "ttfb_ms",
            "launch_spread", "launch_spread_ms");

    public MetricPath {
        segments = List.copyOf(segments);
    }

    /**
     * Resolves aliases of a path already checked for syntax; in a phase's path ({@code phases.N.REST}) the aliases
     * apply to REST, so {@code phases.2.ok} is {@code phases.2.outcomes.ok}.
     */
    public static MetricPath of(String written) {
        List<String> segs = new ArrayList<>(Arrays.asList(written.split("\\.")));
        if (segs.size() > 2 && segs.get(0).equals("phases") && segs.get(1).chars().allMatch(Character::isDigit)) {
            List<String> out = new ArrayList<>(segs.subList(0, 2));
            out.addAll(resolve(new ArrayList<>(segs.subList(2, segs.size()))));
            return new MetricPath(written, out);
        }
        return new MetricPath(written, resolve(segs));
    }

    private static List<String> resolve(List<String> segs) {
        if (segs.size() == 1 && isOutcome(segs.get(0))) {
            segs.add(0, "outcomes");
        } else {
            String alias = FIRST_SEGMENT_ALIASES.get(segs.get(0));
            if (alias != null) {
                segs.set(0, alias);
            }
        }
        return segs;
    }

    private static boolean isOutcome(String key) {
        for (Outcome o : Outcome.values()) {
            if (o.key().equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** The unit its values are in, from the key's suffix: {@code _ms} milliseconds, {@code _s} seconds. */
    public TimeUnitSuffix unit() {
        for (int i = segments.size() - 1; i >= 0; i--) {
            String s = segments.get(i);
            if (s.endsWith("_ms")) {
                return TimeUnitSuffix.MS;
            }
            if (s.endsWith("_s")) {
                return TimeUnitSuffix.S;
            }
        }
        return TimeUnitSuffix.NONE;
    }

    /** The resolved path, dotted. */
    public String resolved() {
        return String.join(".", segments);
    }

    @Override
    public String toString() {
        return written;
    }

    /** What a path's numbers mean in time. */
    public enum TimeUnitSuffix {
        NONE(""), MS(" ms"), S(" s");

        private final String label;

        TimeUnitSuffix(String label) {
            this.label = label;
        }

        /** " ms", " s" or "", to print after a value. */
        public String label() {
            return label;
        }

        /** Nanoseconds in one unit; 0 for NONE. */
        double nanos() {
            return switch (this) {
                case MS -> 1e6;
                case S -> 1e9;
                case NONE -> 0;
            };
        }
    }
}
