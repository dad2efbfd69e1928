package io.conlimit.expect;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One assertion over summary.json, e.g. {@code connect.p99 < 1500ms} or
 * {@code limit.measured == limit.predicted ± 2}. Built by {@link ExpectationParser#parse(String)}.
 *
 * @param text      as written (trimmed)
 * @param lhs       the measured value's path
 * @param op        the comparison
 * @param rhs       a number (durations already in the lhs's unit), true/false, or another path
 * @param tolerance 0 unless {@code ± T} was given (in the lhs's unit)
 */
public record Expectation(String text, MetricPath lhs, Op op, Operand rhs, double tolerance) {
    public Expectation {
        Objects.requireNonNull(text);
        Objects.requireNonNull(lhs);
        Objects.requireNonNull(op);
        Objects.requireNonNull(rhs);
    }

    /** Checks it against a summary; never throws for a missing or non-numeric value: that is a failure that says so. */
    public ExpectationResult evaluate(JsonNode summary) {
        SummaryLookup.Found left = SummaryLookup.find(summary, lhs);
        if (left.problem() != null) {
            return ExpectationResult.failed(this, null, left.problem());
        }
        JsonNode l = left.node();
        if (rhs instanceof Operand.Bool b) {
            if (!l.isBoolean()) {
                return ExpectationResult.failed(this, null, lhs.written() + " is " + SummaryLookup.describe(l) + ", not true/false");
            }
            boolean pass = (l.booleanValue() == b.value()) == (op == Op.EQ);
            return ExpectationResult.of(this, pass, null, "measured " + l.booleanValue());
        }
        if (!l.isNumber()) {
            return ExpectationResult.failed(this, null, lhs.written() + " is " + SummaryLookup.describe(l) + ", not a number");
        }
        double measured = l.doubleValue();
        String measuredText = "measured " + Numbers.format(measured) + lhs.unit().label();
        double right;
        if (rhs instanceof Operand.Path p) {
            SummaryLookup.Found r = SummaryLookup.find(summary, p.path());
            if (r.problem() != null) {
                return ExpectationResult.failed(this, measured, measuredText + "; " + r.problem());
            }
            if (!r.node().isNumber()) {
                return ExpectationResult.failed(this, measured, measuredText + "; " + p.path().written() + " is "
                        + SummaryLookup.describe(r.node()) + ", not a number");
            }
            right = r.node().doubleValue();
            measuredText += ", " + p.path().written() + " " + Numbers.format(right) + p.path().unit().label();
        } else {
            right = ((Operand.Number) rhs).value();
        }
        return ExpectationResult.of(this, op.test(measured, right, tolerance), measured, measuredText);
    }

    @Override
    public String toString() {
        return text;
    }
}
