package io.conlimit.expect;

/** An expectation that does not follow the grammar; {@link #offset()} is where, in its text. */
public final class ExpectationSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String problem;
    private final String expected;

    public ExpectationSyntaxException(String problem, String expected, int offset) {
        super(problem + (expected == null ? "" : " (expected " + expected + ")"));
        this.problem = problem;
        this.expected = expected;
        this.offset = offset;
    }

    /** 0-based character offset into the expectation's text. */
    public int offset() {
        return offset;
    }

    public String problem() {
        return problem;
    }

    /** What was expected there, or null. */
    public String expected() {
        return expected;
    }
}
