package io.conlimit.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --set}/{@code --vary} path: keys separated by dots, list indexes in brackets
 * ({@code load[0].burst}); everything after {@code sysctls.} is one key ({@code net.core.somaxconn}).
 * Aliases: {@code server.sysctls.K} -> {@code target.lab.server.sysctls.K}; {@code server.X} ->
 * {@code target.embedded.X}, or {@code target.lab.server.embedded.X} when the scenario's target is a lab;
 * {@code lab.X} -> {@code target.lab.X}.
 */
final class OverridePath {
    private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_-]+)((?:\\[\\d+\\])*)");
    private static final Pattern INDEX = Pattern.compile("\\[(\\d+)\\]");

    /** A key, or a list index (key null). */
    record Segment(String key, int index) {
        boolean isIndex() {
            return key == null;
        }

        @Override
        public String toString() {
            return isIndex() ? "[" + index + "]" : key;
        }
    }

    private OverridePath() {
    }

    /** @throws IllegalArgumentException saying what is wrong with the path */
    static List<Segment> parse(String path) {
        List<Segment> out = new ArrayList<>();
        String rest = path;
        while (!rest.isEmpty()) {
            if (!out.isEmpty() && !out.get(out.size() - 1).isIndex() && out.get(out.size() - 1).key().equals("sysctls")) {
                out.add(new Segment(rest, -1)); // sysctl names keep their dots
                return out;
            }
            int dot = rest.indexOf('.');
            String part = dot < 0 ? rest : rest.substring(0, dot);
            Matcher m = SEGMENT.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + path + "' is not a path");
            }
            out.add(new Segment(m.group(1), -1));
            Matcher ix = INDEX.matcher(m.group(2));
            while (ix.find()) {
                out.add(new Segment(null, Integer.parseInt(ix.group(1))));
            }
            rest = dot < 0 ? "" : rest.substring(dot + 1);
            if (dot >= 0 && rest.isEmpty()) {
                throw new IllegalArgumentException("'" + path + "' ends with a dot");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        return out;
    }

    /** Applies the aliases; {@code labTarget} tells whether the document's target is a lab. */
    static List<Segment> resolveAliases(List<Segment> segs, boolean labTarget) {
        String first = segs.get(0).key();
        List<Segment> out = new ArrayList<>();
        if ("server".equals(first) && segs.size() > 1 && "sysctls".equals(segs.get(1).key())) {
            out.addAll(keys("target", "lab", "server"));
            out.addAll(segs.subList(1, segs.size()));
        } else if ("server".equals(first)) {
            out.addAll(labTarget ? keys("target", "lab", "server", "embedded") : keys("target", "embedded"));
            out.addAll(segs.subList(1, segs.size()));
        } else if ("lab".equals(first)) {
            out.add(new Segment("target", -1));
            out.addAll(segs);
        } else {
            out.addAll(segs);
        }
        return out;
    }

    private static List<Segment> keys(String... keys) {
        List<Segment> out = new ArrayList<>();
        for (String k : keys) {
            out.add(new Segment(k, -1));
        }
        return out;
    }

    static String format(List<Segment> segs) {
        StringBuilder b = new StringBuilder();
        for (Segment s : segs) {
            if (!s.isIndex() && b.length() > 0) {
                b.append('.');
            }
            b.append(s);
        }
        return b.toString();
    }
}
