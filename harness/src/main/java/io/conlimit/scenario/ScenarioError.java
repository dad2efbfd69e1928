package io.conlimit.scenario;

/**
 * One problem found in a scenario, with where it is.
 *
 * @param origin   the file name as given, or {@code --set PATH} for a value that came from the command line
 * @param line     1-based line (0 for command-line origins and whole-file problems)
 * @param column   1-based column (0 for command-line origins)
 * @param path     the field's path, e.g. {@code target.embedded.workers} ("" for the top level, null when unknown)
 * @param what     what is wrong
 * @param expected what was expected, or null
 */
public record ScenarioError(String origin, int line, int column, String path, String what, String expected) {

    /** {@code FILE:LINE:COLUMN: at PATH: WHAT (expected ...)}; for --set values {@code --set PATH: WHAT (expected ...)}. */
    public String format() {
        StringBuilder b = new StringBuilder();
        if (isCommandLine(origin)) {
            // "--set PATH" or "--vary PATH": the path is named already unless the error is deeper inside the value
            b.append(origin).append(": ");
            String argPath = origin.substring(origin.indexOf(' ') + 1);
            if (path != null && !path.equals(argPath)) {
                b.append("at ").append(displayPath(path)).append(": ");
            }
        } else {
            b.append(origin);
            if (line > 0) {
                b.append(':').append(line).append(':').append(column);
            }
            b.append(": ");
            if (path != null) {
                b.append("at ").append(displayPath(path)).append(": ");
            }
        }
        b.append(what);
        if (expected != null) {
            b.append(" (expected ").append(expected).append(')');
        }
        return b.toString();
    }

    /** Whether the origin is a command-line option ({@code --set PATH}, {@code --vary PATH}) rather than a file. */
    static boolean isCommandLine(String origin) {
        return origin.startsWith("--");
    }

    static String displayPath(String path) {
        return path.isEmpty() ? "(top level)" : path;
    }

    @Override
    public String toString() {
        return format();
    }
}
