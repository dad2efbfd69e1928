package io.conlimit.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.util.ExitCodes;
import io.conlimit.expect.Expectation;
import io.conlimit.expect.ExpectationReport;

import java.util.List;
import java.util.Optional;

/**
 * After the prediction: checks a scenario's expectations against the annotated summary (so that
 * {@code limit.measured == limit.predicted} can be read), prints one PASSED/FAILED line per expectation with
 * the measured value, puts them into summary.json as {@code expectations}, and turns a failure into exit code 1.
 * Must come after {@link PredictionObserver} (and after the kernel-evidence observer) in the executor's list.
 */
public final class ExpectationsObserver implements RunObserver {
    private final List<Expectation> expectations;
    private ExpectationReport report;

    public ExpectationsObserver(List<Expectation> expectations) {
        this.expectations = List.copyOf(expectations);
    }

    @Override
    public void annotate(ObjectNode summary, ObservedRun ctx) {
        report = ExpectationReport.evaluate(expectations, summary);
        summary.set("expectations", new ObjectMapper().valueToTree(report.toJson()));
        if (expectations.isEmpty()) {
            return;
        }
        ctx.out().println();
        report.lines().forEach(ctx.out()::println);
    }

    @Override
    public int exitCode() {
        return report == null || report.allPassed() ? ExitCodes.OK : ExitCodes.EXPECTATION_FAILED;
    }

    /** The verdicts, once the run has been annotated. */
    public Optional<ExpectationReport> report() {
        return Optional.ofNullable(report);
    }
}
