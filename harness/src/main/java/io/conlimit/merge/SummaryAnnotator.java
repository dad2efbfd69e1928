package io.conlimit.merge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.expect.Expectation;
import io.conlimit.plan.RunPlan;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run adds to its summary after the load, asked of the merged summary: merge builds the figures, the run layer
 * (which sits above it) supplies the checks, so no import runs from merge up to run.
 */
public interface SummaryAnnotator {
    /** Recomputes {@code consistency} from the merged client figures and the kernel section's counters (null when not observed). */
    void consistency(ObjectNode summary);

    /** The prediction for the whole load against the merged measurement, then the expectations; the expectations' exit code (0 or 1). */
    int predictAndCheck(ObjectNode summary, RunPlan whole, List<Expectation> expectations, Path folder, PrintStream out, PrintStream err);
}
