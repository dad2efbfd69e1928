package io.conlimit.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.expect.Expectation;
import io.conlimit.expect.ExpectationParser;
import io.conlimit.expect.ExpectationSyntaxException;
import io.conlimit.expect.MetricPath;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Expectations over two runs ({@code conlimit compare --expect}): the grammar of a scenario's expectations
 * (docs/scenarios.md), with every path starting with the side it reads: {@code a.PATH} (RESULTS_A's summary.json),
 * {@code b.PATH} (RESULTS_B's), or {@code b-a.PATH}, the difference B minus A of a number both summaries have (the
 * table's B-A column). PATH takes the aliases of a scenario's expectations ({@code a.connect.p99},
 * {@code b.ok}), and durations convert as there ({@code b.connect.p99 < 500ms}).
 */
public final class CompareExpectations {
    /** The sides a path may start with. */
    public static final List<String> SIDES = List.of("a", "b", "b-a");

    private CompareExpectations() {
    }

    /** @throws ExpectationSyntaxException with the offset of the problem, e.g. a path that names no side */
    public static Expectation parse(String text) {
        return ExpectationParser.parse(text, CompareExpectations::path);
    }

    static MetricPath path(String written) {
        int dot = written.indexOf('.');
        String side = dot < 0 ? written : written.substring(0, dot);
        if (!SIDES.contains(side) || dot < 0) {
            throw new ExpectationSyntaxException("'" + written + "' names no side", "a path starting with a. (RESULTS_A), "
                    + "b. (RESULTS_B) or b-a. (B minus A), e.g. b.outcomes.ok or b-a.connect.p50", 0);
        }
        List<String> segments = new ArrayList<>();
        segments.add(side);
        segments.addAll(MetricPath.of(written.substring(dot + 1)).segments());
        return new MetricPath(written, segments);
    }

    /** The document the expectations read: {@code {"a": summary A, "b": summary B, "b-a": the numeric differences}}. */
    public static ObjectNode document(ResultsFolder a, ResultsFolder b) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        JsonNode sa = a.summary().<JsonNode>map(s -> s).orElse(JsonNodeFactory.instance.objectNode());
        JsonNode sb = b.summary().<JsonNode>map(s -> s).orElse(JsonNodeFactory.instance.objectNode());
        doc.set("a", sa);
        doc.set("b", sb);
        doc.set("b-a", difference(sa, sb));
        return doc;
    }

    /** B - A for every number both have at the same path; objects recursed; everything else left out. */
    static ObjectNode difference(JsonNode a, JsonNode b) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            JsonNode x = a.get(k);
            JsonNode y = b.get(k);
            if (x == null) {
                continue;
            }
            if (x.isNumber() && y.isNumber()) {
                BigDecimal d = y.decimalValue().subtract(x.decimalValue());
                out.put(k, d);
            } else if (x.isObject() && y.isObject()) {
                ObjectNode sub = difference(x, y);
                if (!sub.isEmpty()) {
                    out.set(k, sub);
                }
            }
        }
        return out;
    }
}
