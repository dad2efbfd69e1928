package io.conlimit.scenario;

import java.util.List;
import java.util.Objects;

/**
 * One {@code --set path=value} (or one cell value of a {@code --vary}), applied to the YAML tree before
 * validation. The value is read as YAML, so {@code 5s}, {@code 4096}, {@code [a, b]} and {@code {burst: 10}} all work.
 *
 * @param flag  {@code --set} or {@code --vary}: named in error messages
 * @param path  as written, e.g. {@code target.embedded.backlog}, {@code load[0].burst}, {@code server.workers}
 * @param value the YAML text of the value
 */
public record SetOverride(String flag, String path, String value) {
    public static final String SET = "--set";
    public static final String VARY = "--vary";

    public SetOverride {
        Objects.requireNonNull(flag);
        Objects.requireNonNull(path);
        Objects.requireNonNull(value);
    }

    /** Parses {@code path=value}. @throws ScenarioException when there is no '=' or no path */
    public static SetOverride parse(String flag, String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0) {
            throw new ScenarioException(List.of(new ScenarioError(flag + " " + arg, 0, 0, null,
                    eq < 0 ? "no '=' in '" + arg + "'" : "no path before '='", "path=value, e.g. target.embedded.backlog=4096")));
        }
        return new SetOverride(flag, arg.substring(0, eq).trim(), arg.substring(eq + 1));
    }

    /** Parses every {@code --set} argument, reporting all bad ones at once. */
    public static List<SetOverride> parseAll(List<String> args) {
        List<ScenarioError> errors = new java.util.ArrayList<>();
        List<SetOverride> out = new java.util.ArrayList<>();
        for (String a : args) {
            try {
                out.add(parse(SET, a));
            } catch (ScenarioException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new ScenarioException(errors);
        }
        return out;
    }

    /** The origin named in errors: {@code --set PATH}. */
    public String origin() {
        return flag + " " + path;
    }

    @Override
    public String toString() {
        return flag + " " + path + "=" + value;
    }
}
