package io.conlimit.expect;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every expectation of a run checked against its summary: the lines to print and the exit code. */
public record ExpectationReport(List<ExpectationResult> results) {
    public ExpectationReport {
        results = List.copyOf(results);
    }

    public static ExpectationReport evaluate(List<Expectation> expectations, JsonNode summary) {
        List<ExpectationResult> out = new ArrayList<>();
        for (Expectation e : expectations) {
            out.add(e.evaluate(summary));
        }
        return new ExpectationReport(out);
    }

    public boolean allPassed() {
        return results.stream().allMatch(ExpectationResult::passed);
    }

    public List<ExpectationResult> failures() {
        return results.stream().filter(r -> !r.passed()).toList();
    }

    /** 0 when every expectation holds (or there are none), 1 otherwise (io.conlimit.util.ExitCodes). */
    public int exitCode() {
        return allPassed() ? 0 : 1;
    }

    /** One line per expectation, then {@code expectations: N passed, M failed}. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        results.forEach(r -> lines.add(r.message()));
        lines.add("expectations: " + (results.size() - failures().size()) + " passed, " + failures().size() + " failed");
        return lines;
    }

    /** For summary.json or run.json: [{expect, passed, measured, detail}]. */
    public List<Map<String, Object>> toJson() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ExpectationResult r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("expect", r.expectation().text());
            m.put("passed", r.passed());
            m.put("measured", r.measured());
            m.put("detail", r.detail());
            out.add(m);
        }
        return out;
    }
}
