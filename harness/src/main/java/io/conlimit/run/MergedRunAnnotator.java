package io.conlimit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.evidence.ConsistencyCheck;
import io.conlimit.expect.Expectation;
import io.conlimit.expect.ExpectationReport;
import io.conlimit.merge.SummaryAnnotator;
import io.conlimit.plan.RunPlan;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run's observers add after the load, done again for a merged fleet result ({@code conlimit merge}): the
 * consistency of the summed client view with the server kernel's counters, the prediction for the whole load, and the
 * scenario's expectations. Given to io.conlimit.merge (which has no run of its own) by {@code conlimit merge}.
 */
public final class MergedRunAnnotator implements SummaryAnnotator {
    public static final MergedRunAnnotator INSTANCE = new MergedRunAnnotator();

    private MergedRunAnnotator() {
    }

    @Override
    public void consistency(ObjectNode summary) {
        JsonNode kernel = summary.path("kernel");
        if (!kernel.path("observed").asBoolean(false)) {
            summary.putNull("consistency");
            return;
        }
        Map<String, Long> delta = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = kernel.path("counters_delta").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().canConvertToLong()) {
                delta.put(e.getKey(), e.getValue().asLong());
            }
        }
        ConsistencyCheck.Verdict v = ConsistencyCheck.check(KernelSection.clientView(summary), delta);
        summary.set("consistency", new ObjectMapper().valueToTree(v.toJson()));
    }

    /**
     * The prediction for the whole load (the shards' plan before it was split) against the merged measurement, then the
     * expectations; returns the expectations' exit code (0 or 1).
     */
    @Override
    public int predictAndCheck(ObjectNode summary, RunPlan whole, List<Expectation> expectations, Path folder,
                                      PrintStream out, PrintStream err) {
        ObservedRun ctx = new ObservedRun(whole, null, null, 0, folder, out, err);
        new PredictionObserver().annotate(summary, ctx);
        ExpectationsObserver verdicts = new ExpectationsObserver(expectations);
        verdicts.annotate(summary, ctx);
        ExpectationReport r = verdicts.report().orElseThrow();
        return r.allPassed() ? 0 : 1;
    }
}
