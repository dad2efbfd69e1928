package io.conlimit.scenario;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --vary path=v1,v2,...} (repeatable) expanded into the cartesian product of overrides: one
 * {@link Cell} per combination, the first --vary changing slowest. Each cell is a list of overrides to
 * apply on top of the scenario (and any --set), and a short label such as {@code backlog=8 workers=4}.
 * Running the cells (a fresh server per cell) is the run executor's job.
 */
public record SweepPlan(List<Vary> varies, List<Cell> cells) {
    /** More cells than this is almost surely a mistake (each cell is a run). */
    public static final int MAX_CELLS = 256;

    public SweepPlan {
        varies = List.copyOf(varies);
        cells = List.copyOf(cells);
    }

    /** One --vary: a path and its values (YAML text each). */
    public record Vary(String path, List<String> values) {
        public Vary {
            values = List.copyOf(values);
        }

        /** The last key of the path (for a sysctl, its whole name): what cell labels show. */
        public String shortName() {
            List<OverridePath.Segment> segs = OverridePath.parse(path);
            for (int i = segs.size() - 1; i >= 0; i--) {
                if (!segs.get(i).isIndex()) {
                    return segs.get(i).key();
                }
            }
            return path;
        }
    }

    /** One combination: its position, label and overrides. */
    public record Cell(int index, String label, List<SetOverride> overrides) {
        public Cell {
            overrides = List.copyOf(overrides);
        }
    }

    /** @throws ScenarioException naming every bad --vary */
    public static SweepPlan parse(List<String> varyArgs) {
        List<ScenarioError> errors = new ArrayList<>();
        List<Vary> varies = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String arg : varyArgs) {
            SetOverride o;
            try {
                o = SetOverride.parse(SetOverride.VARY, arg);
            } catch (ScenarioException e) {
                errors.addAll(e.errors());
                continue;
            }
            try {
                OverridePath.parse(o.path());
            } catch (IllegalArgumentException e) {
                errors.add(new ScenarioError(o.origin(), 0, 0, null, e.getMessage(), "a path such as server.backlog"));
                continue;
            }
            List<String> values = splitValues(o.value());
            if (values.isEmpty() || values.stream().anyMatch(String::isBlank)) {
                errors.add(new ScenarioError(o.origin(), 0, 0, null, "empty value in '" + o.value() + "'", "v1,v2,... e.g. 8,128,4096"));
                continue;
            }
            if (!seen.add(o.path())) {
                errors.add(new ScenarioError(o.origin(), 0, 0, null, "varied twice", "each path in one --vary"));
                continue;
            }
            varies.add(new Vary(o.path(), values));
        }
        long count = 1;
        for (Vary v : varies) {
            count *= v.values().size();
        }
        if (count > MAX_CELLS) {
            errors.add(new ScenarioError(SetOverride.VARY, 0, 0, null, "the matrix has " + count + " cells",
                    "at most " + MAX_CELLS + " (each cell is a run)"));
        }
        if (!errors.isEmpty()) {
            throw new ScenarioException(errors);
        }
        return new SweepPlan(varies, expand(varies));
    }

    private static List<Cell> expand(List<Vary> varies) {
        List<String> names = varies.stream().map(Vary::shortName).toList();
        boolean clash = new HashSet<>(names).size() < names.size();
        List<Cell> cells = new ArrayList<>();
        int[] idx = new int[varies.size()];
        int n = 0;
        while (true) {
            List<SetOverride> overrides = new ArrayList<>();
            StringBuilder label = new StringBuilder();
            for (int i = 0; i < varies.size(); i++) {
                Vary v = varies.get(i);
                String value = v.values().get(idx[i]);
                overrides.add(new SetOverride(SetOverride.VARY, v.path(), value));
                label.append(i == 0 ? "" : " ").append(clash ? v.path() : names.get(i)).append('=').append(value);
            }
            cells.add(new Cell(n++, label.toString(), overrides));
            int i = varies.size() - 1;
            while (i >= 0 && ++idx[i] == varies.get(i).values().size()) {
                idx[i] = 0;
                i--;
            }
            if (i < 0) {
                return cells;
            }
        }
    }

    /** Splits on commas outside brackets and quotes, so {@code [a,b],[c]} is two values. */
    static List<String> splitValues(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        StringBuilder cur = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if (c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(cur.toString().trim());
                cur.setLength(0);
                continue;
            }
            cur.append(c);
        }
        out.add(cur.toString().trim());
        return out;
    }

    /** Number of runs. */
    public int size() {
        return cells.size();
    }
}
