package io.conlimit.expect;

import java.util.Locale;
import java.util.function.Function;

/**
 * Parses {@code LHS OP RHS [± TOL]}: LHS a summary path, OP one of {@code == != < <= > >=}, RHS a number,
 * a duration (when LHS is a time metric), {@code true}/{@code false}, or another path; TOL a number or
 * duration after {@code ±} or {@code +-}. The grammar is documented in docs/scenarios.md.
 */
public final class ExpectationParser {
    static final String OPERATORS = "one of ==, !=, <, <=, >, >=";
    private static final String RHS_EXPECTED = "a number, a duration such as 1500ms, true/false, or a summary path";

    private final String text;
    private final Function<String, MetricPath> paths;
    private int pos;
    private int pathStart;

    private ExpectationParser(String text, Function<String, MetricPath> paths) {
        this.text = text;
        this.paths = paths;
    }

    /** @throws ExpectationSyntaxException with the offset of the problem */
    public static Expectation parse(String text) {
        return new ExpectationParser(text, MetricPath::of).expectation();
    }

    /**
     * The same grammar over another document than one summary.json: {@code paths} resolves each path as written
     * (e.g. {@code a.connect.p99} of {@code conlimit compare}), and may throw an {@link ExpectationSyntaxException}
     * (its offset relative to the path) for a path it does not accept.
     */
    public static Expectation parse(String text, Function<String, MetricPath> paths) {
        return new ExpectationParser(text, paths).expectation();
    }

    private MetricPath resolve(String written) {
        try {
            return paths.apply(written);
        } catch (ExpectationSyntaxException e) {
            throw new ExpectationSyntaxException(e.problem(), e.expected(), pathStart + e.offset());
        }
    }

    private Expectation expectation() {
        skipSpaces();
        if (pos >= text.length()) {
            throw new ExpectationSyntaxException("empty expectation", "LHS OP RHS, e.g. outcomes.connect-timeout == 0", 0);
        }
        int lhsStart = pos;
        String lhsText = path();
        if (lhsText == null) {
            throw new ExpectationSyntaxException("'" + rest() + "' does not start with a summary path",
                    "a path such as outcomes.ok or connect.p99", lhsStart);
        }
        pathStart = lhsStart;
        MetricPath lhs = resolve(lhsText);
        skipSpaces();
        Op op = operator();
        skipSpaces();
        int rhsStart = pos;
        Operand rhs = operand(lhs, true);
        skipSpaces();
        double tolerance = 0;
        int tolStart = pos;
        if (text.startsWith("±", pos) || text.startsWith("+-", pos)) {
            pos += text.startsWith("±", pos) ? 1 : 2;
            skipSpaces();
            tolStart = pos;
            Operand tol = operand(lhs, false);
            if (!(tol instanceof Operand.Number n) || n.value() < 0) {
                throw new ExpectationSyntaxException("bad tolerance '" + text.substring(tolStart).trim() + "'",
                        "a number or duration >= 0 after ±", tolStart);
            }
            tolerance = n.value();
            skipSpaces();
        }
        if (pos < text.length()) {
            throw new ExpectationSyntaxException("unexpected '" + rest() + "' after the expectation",
                    "nothing, or '± TOLERANCE'", pos);
        }
        if (rhs instanceof Operand.Bool && (op != Op.EQ && op != Op.NE || tolerance != 0)) {
            throw new ExpectationSyntaxException("true/false compares with == or != only, without tolerance", null, rhsStart);
        }
        return new Expectation(text.trim(), lhs, op, rhs, tolerance);
    }

    private Op operator() {
        int start = pos;
        for (Op op : Op.BY_LENGTH) {
            if (text.startsWith(op.symbol(), pos)) {
                pos += op.symbol().length();
                if (pos < text.length() && "=<>!".indexOf(text.charAt(pos)) >= 0) {
                    break;
                }
                return op;
            }
        }
        pos = start;
        int end = start;
        while (end < text.length() && "=<>!~".indexOf(text.charAt(end)) >= 0) {
            end++;
        }
        if (end > start) {
            throw new ExpectationSyntaxException("unknown operator '" + text.substring(start, end) + "'", OPERATORS, start);
        }
        if (start >= text.length()) {
            throw new ExpectationSyntaxException("missing operator and value after '" + text.trim() + "'", OPERATORS, start);
        }
        throw new ExpectationSyntaxException("'" + rest() + "' where an operator belongs", OPERATORS, start);
    }

    /** A number (with an optional time unit), true/false, or a path (allowed only when {@code allowPath}). */
    private Operand operand(MetricPath lhs, boolean allowPath) {
        int start = pos;
        if (pos >= text.length()) {
            throw new ExpectationSyntaxException("missing value after the operator", RHS_EXPECTED, start);
        }
        char c = text.charAt(pos);
        if (Character.isDigit(c) || c == '-' || c == '.') {
            return number(lhs, start);
        }
        String p = path();
        if (p == null) {
            throw new ExpectationSyntaxException("'" + rest() + "' is not a value", RHS_EXPECTED, start);
        }
        if (p.equals("true") || p.equals("false")) {
            return new Operand.Bool(Boolean.parseBoolean(p));
        }
        if (!allowPath) {
            pos = start;
            throw new ExpectationSyntaxException("'" + p + "' is not a number", "a number or duration", start);
        }
        pathStart = start;
        return new Operand.Path(resolve(p));
    }

    private Operand number(MetricPath lhs, int start) {
        if (text.charAt(pos) == '-') {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        String num = text.substring(start, pos);
        int unitStart = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        String unit = text.substring(unitStart, pos).toLowerCase(Locale.ROOT);
        double value;
        try {
            if (pos == digits || num.chars().filter(ch -> ch == '.').count() > 1) {
                throw new NumberFormatException();
            }
            value = Double.parseDouble(num);
        } catch (NumberFormatException e) {
            throw new ExpectationSyntaxException("'" + text.substring(start, pos) + "' is not a number", RHS_EXPECTED, start);
        }
        String written = text.substring(start, pos);
        if (unit.isEmpty()) {
            return new Operand.Number(value, written);
        }
        double unitNanos = switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new ExpectationSyntaxException("'" + written + "' is not a number or a duration",
                    "a number, or a number and a time unit: ns, us, ms, s, m, h", start);
        };
        if (lhs.unit() == MetricPath.TimeUnitSuffix.NONE) {
            throw new ExpectationSyntaxException("a duration (" + written + ") compared with '" + lhs.written()
                    + "', which is not a time", "a plain number, or a time metric on the left such as connect.p99 (connect_ms.p99)", start);
        }
        return new Operand.Number(value * unitNanos / lhs.unit().nanos(), written);
    }

    /** A dotted path of keys ([A-Za-z_][A-Za-z0-9_-]*), or null when none starts here. */
    private String path() {
        int start = pos;
        while (true) {
            int seg = pos;
            if (pos < text.length() && (Character.isLetter(text.charAt(pos)) || text.charAt(pos) == '_'
                    || (pos > start && Character.isDigit(text.charAt(pos))))) {
                pos++;
                while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
                        || text.charAt(pos) == '-')) {
                    pos++;
                }
            }
            if (pos == seg) {
                if (seg > start) {
                    throw new ExpectationSyntaxException("path '" + text.substring(start, seg) + "' ends with a dot", "a key after the dot", seg);
                }
                return null;
            }
            if (pos < text.length() && text.charAt(pos) == '.') {
                pos++;
                continue;
            }
            return text.substring(start, pos);
        }
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private String rest() {
        return text.substring(pos).trim();
    }
}
