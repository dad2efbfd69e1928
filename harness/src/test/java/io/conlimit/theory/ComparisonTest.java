package io.conlimit.theory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.expect.ExpectationParser;
import io.conlimit.expect.ExpectationReport;
import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.conlimit.theory.Models.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

class ComparisonTest {
    static JsonNode json(String s) throws Exception {
        return new ObjectMapper().readTree(s);
    }

    @Test
    void holdProbeTableAndLimitObject() throws Exception {
        Prediction p = PredictorTest.predict(Models.pool(2, 8, null), PredictorTest.PROBE);
        Comparison c = Comparison.of(p, json("{\"held_max\": 11}"));
        assertEquals(11.0, c.measured());
        assertEquals("""
                quantity                               | predicted | measured
                -------------------------------------- | --------- | --------
                concurrent connections held (held_max) |        11 |       11
                """ + p.sentence() + "\n  identity used: held = W + B + 1 (connections held: the workers' and the accept queue's)\n", c.table());
        Map<String, Object> limit = c.limitJson();
        assertEquals(11L, limit.get("predicted"));
        assertEquals(11L, limit.get("measured"));
        assertEquals("held_max", limit.get("quantity"));
        assertEquals("backlog", limit.get("binding"));
        assertEquals("held = W + B + 1", limit.get("identity"));
    }

    @Test
    void theLimitObjectFeedsTheExpectations() throws Exception {
        Prediction p = PredictorTest.predict(Models.pool(2, 8, null), PredictorTest.PROBE);
        Comparison c = Comparison.of(p, json("{\"held_max\": 12}"));
        JsonNode summary = new ObjectMapper().valueToTree(Map.of("held_max", 12, "limit", c.limitJson(), "prediction", p.toJson()));
        ExpectationReport r = ExpectationReport.evaluate(List.of(ExpectationParser.parse("limit.measured == limit.predicted"),
                ExpectationParser.parse("limit.measured == limit.predicted ± 1")), summary);
        assertEquals(List.of("FAILED limit.measured == limit.predicted: measured 12, limit.predicted 11",
                "PASSED limit.measured == limit.predicted ± 1: measured 12, limit.predicted 11", "expectations: 1 passed, 1 failed"), r.lines());
    }

    @Test
    void annotateAddsPredictionAndLimitToTheSummary() throws Exception {
        Prediction p = PredictorTest.predict(Models.pool(2, 8, null), PredictorTest.PROBE);
        com.fasterxml.jackson.databind.node.ObjectNode summary = (com.fasterxml.jackson.databind.node.ObjectNode) json("{\"held_max\": 11}");
        Comparison.of(p, summary).annotate(summary);
        assertEquals(11, summary.get("limit").get("measured").intValue());
        assertEquals(11, summary.get("limit").get("predicted").intValue());
        assertEquals("backlog", summary.get("prediction").get("binding").textValue());
        assertEquals(8, summary.get("prediction").get("model").get("backlog_effective").intValue());
        assertEquals(0.0, summary.get("prediction").get("model").get("service_rate_per_s").doubleValue());
        assertEquals(List.of(), List.copyOf(ExpectationReport.evaluate(List.of(ExpectationParser.parse("limit.measured == limit.predicted")),
                summary).failures()));
    }

    /** Redis maxclients 5, MariaDB max_connections, memcached -c: served, then refused after accepting. */
    @Test
    void anExternalServerThatRefusesAfterAcceptingIsBoundByItsApplicationLimitAndNoWIsInferred() throws Exception {
        Prediction p = PredictorTest.predict(ServiceModel.external(511, 4096), PredictorTest.PROBE);
        Comparison c = Comparison.of(p, json("""
                {"held_max": 5, "served_max": 5, "hold_probe_stopped_by": "failures",
                 "outcomes": {"ok": 5, "app-refused": 3}}"""));
        assertEquals(5.0, c.measured());
        assertEquals("application", c.limitJson().get("binding"));
        assertNull(c.prediction().inferredWorkers(), "W + B + 1 does not apply to refusals after accept");
        assertEquals("served = the application's limit", c.limitJson().get("identity"));
        assertTrue(c.prediction().sentence().contains("served 5 connections at once and refused 3 more"), c.prediction().sentence());
    }

    @Test
    void aHoldProbeStoppedAtItsOwnCapNamesTheClient() throws Exception {
        Prediction p = PredictorTest.predict(ServiceModel.external(8, 4096), PredictorTest.PROBE);
        Comparison c = Comparison.of(p, json("{\"held_max\": 30, \"hold_probe_stopped_by\": \"max-held\"}"));
        assertEquals("client", c.limitJson().get("binding"));
        assertTrue(c.prediction().sentence().contains("its own cap of 30"), c.prediction().sentence());
        assertNull(c.prediction().inferredWorkers());
        assertNull(c.limitJson().get("identity"), "the client's cap: no identity of the server's applies");
    }

    @Test
    void externalInfersWorkersFromHeldMax() throws Exception {
        Prediction p = PredictorTest.predict(ServiceModel.external(8, 4096), PredictorTest.PROBE);
        Comparison c = Comparison.of(p, json("{\"held_max\": 14}"));
        assertEquals(5, c.prediction().inferredWorkers());
        assertEquals(List.of(new Comparison.Row("concurrent connections held (held_max)", "n/a", "14"),
                new Comparison.Row("workers W (inferred: held_max - B - 1)", "n/a", "5")), c.rows());
        assertNull(c.limitJson().get("predicted"));
        assertEquals("held = W + B + 1", c.limitJson().get("identity"));
    }

    /** HAProxy maxconn 6, backlog 4, a request probe: 6 answered, 5 queued unanswered, then SYNs dropped. */
    @Test
    void servedConnectionsCountTheWorkersAndHeldIsCheckedAgainstWPlusBPlusOne() throws Exception {
        Prediction p = PredictorTest.predict(ServiceModel.external(4, 4096), PredictorTest.PROBE);
        Comparison c = Comparison.of(p, json("""
                {"held_max": 11, "served_max": 6, "hold_probe_stopped_by": "failures",
                 "outcomes": {"ok": 6, "connected-unserved": 5, "connect-timeout": 2}}"""));
        assertEquals(6, c.prediction().inferredWorkers(), "W = served_max, not held_max - B - 1 applied to what was served");
        assertEquals(11, c.prediction().concurrentLimit());
        assertEquals("workers", c.limitJson().get("binding"));
        assertEquals("served = W", c.limitJson().get("identity"));
        assertEquals(11L, c.limitJson().get("measured"));
        assertNull(c.limitJson().get("predicted"), "W was counted, not predicted");
        assertEquals("W unknown, so counted from the connections the application served: W = served_max = 6; the other 5 held"
                + " connections waited unserved in the accept queue (B + 1 = 5): held = W + B + 1 = 6 + 4 + 1 = 11, as measured;"
                + " binding limit: the workers.", c.prediction().sentence());
        assertEquals(List.of(new Comparison.Row("concurrent connections held (held_max)", "n/a", "11"),
                new Comparison.Row("of them served by the application (served_max)", "n/a", "6"),
                new Comparison.Row("workers W (counted: served_max)", "n/a", "6"),
                new Comparison.Row("held if W + B + 1 (W = served_max)", "11", "11")), c.rows());
        assertTrue(c.table().contains("\n  identity used: served = W (connections the application answered)\n"), c.table());
    }

    /** The numbers: 6 served and 6 held (the queued ones not held) once gave "W = 6 - 4 - 1 = 1; the listen backlog". */
    @Test
    void servedConnectionsAreNeverReadAsWPlusBPlusOne() throws Exception {
        Prediction p = PredictorTest.predict(ServiceModel.external(4, 4096), PredictorTest.PROBE);
        Comparison c = Comparison.of(p, json("""
                {"held_max": 6, "served_max": 6, "hold_probe_stopped_by": "failures",
                 "outcomes": {"ok": 6, "connected-unserved": 5, "connect-timeout": 2}}"""));
        assertEquals(6, c.prediction().inferredWorkers());
        assertEquals("none", c.limitJson().get("binding"), "held is not W + B + 1: not the backlog");
        assertEquals("served = W", c.limitJson().get("identity"));
        assertTrue(c.prediction().sentence().contains("W = served_max = 6; but the server held 6, not W + B + 1 = 6 + 4 + 1 = 11:"
                + " only 0 held connections were not served, fewer than the accept queue's B + 1 = 5"), c.prediction().sentence());
    }

    @Test
    void servedConnectionsWithBUnknownGiveWButNoCheck() throws Exception {
        Prediction p = PredictorTest.predict(ServiceModel.external(-1, -1), PredictorTest.PROBE);
        Comparison c = Comparison.of(p, json("{\"held_max\": 11, \"served_max\": 6, \"outcomes\": {\"ok\": 6, \"connected-unserved\": 5}}"));
        assertEquals(6, c.prediction().inferredWorkers());
        assertEquals("none", c.limitJson().get("binding"));
        assertEquals("served = W", c.limitJson().get("identity"));
        assertTrue(c.prediction().sentence().endsWith("B unknown, so held = W + B + 1 cannot be checked (5 held connections were not served)."),
                c.prediction().sentence());
    }

    /** HAProxy with the connect probe: handshakes only, so the held identity. */
    @Test
    void connectLevelHoldsUseTheHeldIdentity() throws Exception {
        Prediction p = PredictorTest.predict(ServiceModel.external(4, 4096), PredictorTest.PROBE);
        Comparison c = Comparison.of(p, json("""
                {"held_max": 11, "served_max": 0, "outcomes": {"connected": 11, "connect-timeout": 2}}"""));
        assertEquals(6, c.prediction().inferredWorkers());
        assertEquals("workers", c.limitJson().get("binding"));
        assertEquals("held = W + B + 1", c.limitJson().get("identity"));
    }

    @Test
    void burstRowsFromRetransmitCounts() throws Exception {
        Prediction p = io.conlimit.theory.Predictor.predict(Models.pool(4, 32, ms(700)),
                PredictorTest.planWithTimeout(Duration.ofSeconds(4), new LoadPhase.Burst(300)), Models.LINEAR4, 20_000, Duration.ZERO);
        JsonNode s = json("""
                {"connections": 300, "outcomes": {"ok": 55, "refused": 0, "connect-timeout": 245, "client-limited": 0, "error": 0},
                 "syn_retransmits": {"total": 900, "connections_with_retransmits": 262, "unknown": 0}}""");
        Comparison c = Comparison.of(p, s);
        assertEquals(38.0, c.measured(), "300 - 262 connected without a retransmit");
        assertEquals(List.of(new Comparison.Row("connected at once (no SYN retransmit)", "37", "38"),
                new Comparison.Row("connected after SYN retransmits", "16", "17"),
                new Comparison.Row("connect-timeout", "247", "245"),
                new Comparison.Row("connections with SYN retransmits", "263", "262")), c.rows());
        assertEquals(30.0, Comparison.of(p, json("{\"admitted_at_once\": 30}")).measured(), "the recorded count wins when present");
    }

    @Test
    void rateRows() throws Exception {
        Prediction p = PredictorTest.predict(Models.pool(4, 64, ms(100)), new LoadPhase.Rate(100, Duration.ofSeconds(10), false));
        Comparison c = Comparison.of(p, json("{\"outcomes\": {\"ok\": 512}}"));
        assertNull(c.measured());
        assertEquals(List.of(new Comparison.Row("arrival rate lambda (/s)", "100", "n/a"),
                new Comparison.Row("service rate mu (/s)", "40", "n/a"),
                new Comparison.Row("accept queue full after (s)", "1.12", "n/a"),
                new Comparison.Row("handshakes completed", "469..589", "512"),
                new Comparison.Row("largest client catch-up cluster (late starts)", "at most 65 (B + 1) to be clear", "n/a")), c.rows());
    }

    /** A rate run whose own catch-up cluster was larger than B + 1 says it could itself have overflowed the backlog. */
    @Test
    void aCatchUpClusterLargerThanTheQueueIsNamed() throws Exception {
        Prediction p = PredictorTest.predict(Models.pool(4, 64, ms(100)), new LoadPhase.Rate(100, Duration.ofSeconds(10), false));
        JsonNode over = json("""
                {"phases": [{"index": 0, "connections": 1000,
                  "catch_up": {"clusters": 2, "largest": 66, "largest_at_s": 2.5, "largest_span_ms": 0.42}}]}""");
        assertEquals(new Comparison.Row("largest client catch-up cluster (late starts)", "at most 65 (B + 1) to be clear", "66"),
                Comparison.of(p, over).rows().get(4));
        String note = Comparison.catchUpNote(p, over);
        assertTrue(note != null && note.startsWith("the client fell behind its schedule and released 66 overdue connects together at 2.5 s (within 0.42 ms): more than the accept queue holds (B + 1 = 65)"), note);
        JsonNode atQueue = json("""
                {"phases": [{"index": 0, "catch_up": {"clusters": 1, "largest": 65, "largest_at_s": 2.5, "largest_span_ms": 0.4}}]}""");
        assertNull(Comparison.catchUpNote(p, atQueue), "a cluster the queue can hold (B + 1) is no warning");
        assertNull(Comparison.catchUpNote(p, json("{\"phases\": [{\"index\": 0}]}")), "an older summary without catch_up");
        Prediction burst = PredictorTest.predict(Models.pool(4, 64, ms(100)), new LoadPhase.Burst(500));
        assertNull(Comparison.catchUpNote(burst, over), "a burst has no schedule to fall behind");
        Prediction external = PredictorTest.predict(ServiceModel.external(64, 4096), new LoadPhase.Rate(100, Duration.ofSeconds(10), false));
        assertNull(external.rate(), "W unknown: no rate forecast");
        assertTrue(Comparison.catchUpNote(external, over) != null, "an external server's B is enough to compare the cluster with");
        assertNull(Comparison.catchUpNote(PredictorTest.predict(ServiceModel.external(-1, 4096),
                new LoadPhase.Rate(100, Duration.ofSeconds(10), false)), over), "B unknown: nothing to compare with");
    }

    /** Rate and ramp runs are measured too: when the server kernel's samples first saw the queue full, from the phase's start. */
    @Test
    void rateAndRampMeasureWhenTheQueueFilled() throws Exception {
        Prediction rate = PredictorTest.predict(Models.pool(4, 64, ms(100)), new LoadPhase.Rate(100, Duration.ofSeconds(10), false));
        JsonNode s = json("""
                {"outcomes": {"ok": 512}, "phases": [{"index": 0, "started_s": 0.141, "connections": 1000}],
                 "kernel": {"queue_full_at_s": 1.151, "first_overflow_at_s": 0.4}}""");
        assertEquals(new Comparison.Row("accept queue full after (s)", "1.12", "1.01"), Comparison.of(rate, s).rows().get(2),
                "the queue sample wins over the namespace-wide counter");
        JsonNode counterOnly = json("""
                {"phases": [{"index": 0, "started_s": 0.5}], "kernel": {"queue_full_at_s": null, "first_overflow_at_s": 1.75}}""");
        assertEquals(1.25, Comparison.queueFullAfter(counterOnly, 0));
        assertNull(Comparison.queueFullAfter(json("{\"phases\": [{\"index\": 0, \"started_s\": 0.5}]}"), 0), "not observed");

        LoadPhase.Ramp shape = new LoadPhase.Ramp(10, 100, Duration.ofSeconds(8), 0);
        Prediction ramp = PredictorTest.predict(Models.pool(4, 64, ms(100)), shape);
        List<Comparison.Row> rows = Comparison.of(ramp, json("""
                {"phases": [{"index": 0, "started_s": 0.155}], "kernel": {"queue_full_at_s": 6.235}}""")).rows();
        assertEquals(new Comparison.Row("accept queue full after (s)", "6.07", "6.08"), rows.get(1));
        assertEquals(new Comparison.Row("arrival rate when the queue filled (/s)", "78", "78"), rows.get(2));
        assertEquals(55.0, Comparison.rampRate(shape, 4.0));
        LoadPhase.Ramp stepped = new LoadPhase.Ramp(10, 100, Duration.ofSeconds(8), 4);
        assertEquals(10.0, Comparison.rampRate(stepped, 1.9));
        assertEquals(40.0, Comparison.rampRate(stepped, 2.0));
        assertEquals(100.0, Comparison.rampRate(stepped, 7.9));
        assertEquals(100.0, Comparison.rampRate(new LoadPhase.Ramp(10, 100, Duration.ofSeconds(8), 1), 0.5));
    }
}
