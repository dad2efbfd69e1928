package io.conlimit.scenario;

import io.conlimit.target.Durations;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/** Typed reading of scalar nodes; every failure is reported with the expected type and returns empty. */
final class Values {
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    static final String DURATION_FORMS = "a duration such as 250ms, 2s, 1.5s, 1m";

    private Values() {
    }

    static Optional<String> scalar(Problems p, String path, Node n, String expected) {
        if (n instanceof ScalarNode s && !Nodes.isNull(n)) {
            return Optional.of(s.getValue());
        }
        p.at(n, path, "got " + Nodes.describe(n), expected);
        return Optional.empty();
    }

    static Optional<String> string(Problems p, String path, Node n) {
        return scalar(p, path, n, "a string");
    }

    static Optional<Integer> integer(Problems p, String path, Node n, long min, long max) {
        String expected = intExpectation(min, max);
        Optional<String> text = scalar(p, path, n, expected);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String t = text.get().trim();
        if (!INTEGER.matcher(t).matches()) {
            p.at(n, path, "'" + t + "' is not an integer", expected);
            return Optional.empty();
        }
        long v;
        try {
            v = Long.parseLong(t);
        } catch (NumberFormatException e) {
            p.at(n, path, "'" + t + "' is too large", expected);
            return Optional.empty();
        }
        if (v < min || v > max) {
            p.at(n, path, t + " is out of range", expected);
            return Optional.empty();
        }
        return Optional.of((int) v);
    }

    static String intExpectation(long min, long max) {
        if (max >= Integer.MAX_VALUE) {
            return min <= Integer.MIN_VALUE ? "an integer" : "an integer >= " + min;
        }
        return "an integer " + min + ".." + max;
    }

    static Optional<Double> number(Problems p, String path, Node n, double min, boolean minExclusive) {
        String expected = "a number " + (minExclusive ? "> " : ">= ") + fmt(min);
        Optional<String> text = scalar(p, path, n, expected);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String t = text.get().trim();
        if (!NUMBER.matcher(t).matches()) {
            p.at(n, path, "'" + t + "' is not a number", expected);
            return Optional.empty();
        }
        double v = Double.parseDouble(t);
        if (minExclusive ? !(v > min) : !(v >= min)) {
            p.at(n, path, t + " is out of range", expected);
            return Optional.empty();
        }
        return Optional.of(v);
    }

    static Optional<Boolean> bool(Problems p, String path, Node n) {
        Optional<String> text = scalar(p, path, n, "true or false");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        switch (text.get().trim()) {
            case "true":
                return Optional.of(true);
            case "false":
                return Optional.of(false);
            default:
                p.at(n, path, "'" + text.get() + "' is not a boolean", "true or false");
                return Optional.empty();
        }
    }

    static Optional<Duration> duration(Problems p, String path, Node n) {
        Optional<String> text = scalar(p, path, n, DURATION_FORMS);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(text.get()));
        } catch (IllegalArgumentException e) {
            p.at(n, path, "'" + text.get() + "' is not a duration", DURATION_FORMS);
            return Optional.empty();
        }
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
