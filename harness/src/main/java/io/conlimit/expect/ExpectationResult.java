package io.conlimit.expect;

/**
 * The verdict on one expectation.
 *
 * @param expectation what was checked
 * @param passed      whether it holds
 * @param measured    the left side's value, or null when it could not be read
 * @param detail      what was measured (and what the right side was when it is a path), or why it could not be read
 */
public record ExpectationResult(Expectation expectation, boolean passed, Double measured, String detail) {

    static ExpectationResult of(Expectation e, boolean passed, Double measured, String detail) {
        return new ExpectationResult(e, passed, measured, detail);
    }

    static ExpectationResult failed(Expectation e, Double measured, String detail) {
        return new ExpectationResult(e, false, measured, detail);
    }

    /** {@code PASSED connect.p99 < 1500ms: measured 812.4 ms} or {@code FAILED connect.p99 < 1500ms: measured 3012.4 ms}. */
    public String message() {
        return (passed ? "PASSED " : "FAILED ") + expectation.text() + ": " + detail;
    }

    @Override
    public String toString() {
        return message();
    }
}
