package io.conlimit.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExpectationEvalTest {
    static final JsonNode SUMMARY;

    static {
        try {
            SUMMARY = new ObjectMapper().readTree("""
                    {"complete": true, "connections": 1000,
                     "outcomes": {"ok": 995, "connected-unserved": 0, "refused": 0, "connect-timeout": 5, "reset": 0,
                                  "client-limited": 0, "error": 0},
                     "connect_ms": {"count": 995, "p50": 0.21, "p90": 0.5, "p99": 3012.4, "p999": 3020, "max": 3021.7, "mean": 15.2},
                     "ttfb_ms": {"count": 0, "p50": null},
                     "held_max": 11, "duration_s": 12.5,
                     "limit": {"quantity": "held_max", "predicted": 11, "measured": 13, "binding": "backlog"},
                     "phases": [{"index": 0, "outcomes": {"ok": 4}, "connect_ms": {"p99": 2.5}},
                                {"index": 1, "outcomes": {"ok": 991, "connect-timeout": 5}}]}
                    """);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static ExpectationResult eval(String text) {
        return ExpectationParser.parse(text).evaluate(SUMMARY);
    }

    @Test
    void passAndFailWithTheMeasuredValue() {
        ExpectationResult r = eval("connect.p99 < 1500ms");
        assertFalse(r.passed());
        assertEquals(3012.4, r.measured());
        assertEquals("FAILED connect.p99 < 1500ms: measured 3012.4 ms", r.message());
        assertEquals("PASSED ok >= 990: measured 995", eval("ok >= 990").message());
        assertEquals("FAILED outcomes.connect-timeout == 0: measured 5", eval("outcomes.connect-timeout == 0").message());
        assertTrue(eval("connect.p99 <= 3.1s").passed());
        assertTrue(eval("duration_s < 13s").passed());
        assertTrue(eval("complete == true").passed());
        assertFalse(eval("complete != true").passed());
    }

    /** A phase's own counts: phases.N.PATH, with the same aliases as the top level. */
    @Test
    void phasePaths() {
        assertEquals("PASSED phases.1.ok == 991: measured 991", eval("phases.1.ok == 991").message());
        assertTrue(eval("phases.1.outcomes.connect-timeout == 5").passed());
        assertTrue(eval("phases.0.connect.p99 < 3ms").passed(), "connect -> connect_ms inside a phase");
        assertEquals("phases.1.outcomes.ok", MetricPath.of("phases.1.ok").resolved());
        ExpectationResult missing = eval("phases.2.ok == 1");
        assertFalse(missing.passed());
        assertTrue(missing.message().contains("phases is a list of 2, so '2' is not in it (an index 0..1)"), missing.message());
    }

    @Test
    void everyOperatorAtItsEdge() {
        assertTrue(eval("held_max == 11").passed());
        assertFalse(eval("held_max != 11").passed());
        assertTrue(eval("held_max <= 11").passed());
        assertFalse(eval("held_max < 11").passed());
        assertTrue(eval("held_max >= 11").passed());
        assertFalse(eval("held_max > 11").passed());
    }

    @Test
    void pathOnTheRightAndTolerance() {
        ExpectationResult r = eval("limit.measured == limit.predicted");
        assertEquals("FAILED limit.measured == limit.predicted: measured 13, limit.predicted 11", r.message());
        assertFalse(eval("limit.measured == limit.predicted ± 1").passed());
        assertTrue(eval("limit.measured == limit.predicted ± 2").passed());
        assertTrue(eval("limit.measured < limit.predicted +- 3").passed(), "13 < 11 + 3");
        assertFalse(eval("limit.measured != limit.predicted ± 2").passed());
    }

    /** A section that was not taken says why, and the failure carries that reason (a fleet's shards in one namespace). */
    @Test
    void aSectionNotTakenGivesItsReason() throws Exception {
        JsonNode s = new ObjectMapper().readTree("""
                {"server_sockets": {"taken": false, "reason": "shards 0 and 1 ran in one network namespace"}}""");
        assertEquals("FAILED server_sockets.server_has == 21: no 'server_has' in server_sockets (available: taken, reason): "
                        + "server_sockets.reason: shards 0 and 1 ran in one network namespace",
                ExpectationParser.parse("server_sockets.server_has == 21").evaluate(s).message());
    }

    @Test
    void missingPathNamesWhatIsThere() {
        ExpectationResult r = eval("outcomes.conect-timeout == 0");
        assertFalse(r.passed());
        assertNull(r.measured());
        assertEquals("FAILED outcomes.conect-timeout == 0: no 'conect-timeout' in outcomes; did you mean 'connect-timeout'? "
                + "(available: ok, connected-unserved, refused, connect-timeout, reset, client-limited, error)", r.message());
        assertEquals("FAILED launch_spread < 250ms: no 'launch_spread_ms' in summary.json (available: complete, connections, outcomes, "
                + "connect_ms, ttfb_ms, held_max, duration_s, limit, phases)", eval("launch_spread < 250ms").message());
        assertEquals("FAILED ttfb.p50 < 5ms: ttfb_ms.p50 is null in summary.json", eval("ttfb.p50 < 5ms").message());
        assertEquals("FAILED held_max.x == 1: held_max is 11, so it has no 'x'", eval("held_max.x == 1").message());
        assertEquals("FAILED limit.binding == 1: limit.binding is the text 'backlog', not a number", eval("limit.binding == 1").message());
        assertEquals("FAILED held_max == limit.nope: measured 11; no 'nope' in limit (available: quantity, predicted, measured, binding)",
                eval("held_max == limit.nope").message());
    }

    @Test
    void reportAndExitCode() {
        List<Expectation> es = List.of(ExpectationParser.parse("ok >= 990"), ExpectationParser.parse("connect.p99 < 1500ms"));
        ExpectationReport rep = ExpectationReport.evaluate(es, SUMMARY);
        assertFalse(rep.allPassed());
        assertEquals(1, rep.exitCode());
        assertEquals(1, rep.failures().size());
        assertEquals(List.of("PASSED ok >= 990: measured 995", "FAILED connect.p99 < 1500ms: measured 3012.4 ms",
                "expectations: 1 passed, 1 failed"), rep.lines());
        assertEquals(0, ExpectationReport.evaluate(es.subList(0, 1), SUMMARY).exitCode());
        assertEquals(0, ExpectationReport.evaluate(List.of(), SUMMARY).exitCode());
        assertEquals(false, rep.toJson().get(1).get("passed"));
        assertEquals(3012.4, rep.toJson().get(1).get("measured"));
    }

    @Test
    void numberFormatting() {
        assertEquals("3012.4", Numbers.format(3012.4));
        assertEquals("11", Numbers.format(11.0));
        assertEquals("0.333", Numbers.format(1 / 3.0));
        assertEquals("-2", Numbers.format(-2));
    }
}
