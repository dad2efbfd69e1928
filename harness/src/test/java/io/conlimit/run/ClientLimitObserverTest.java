package io.conlimit.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.expect.ExpectationParser;
import io.conlimit.expect.ExpectationReport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run mostly client-limited says the client was measured, and an expectation can gate on it (issue 17). */
class ClientLimitObserverTest {
    private static String annotate(ObjectNode summary) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        new ClientLimitObserver().annotate(summary, new ObservedRun(null, null, null, 0, null, e, e));
        return err.toString(StandardCharsets.UTF_8);
    }

    private static ObjectNode summary(long connections, long limited) {
        ObjectNode s = new ObjectMapper().createObjectNode();
        s.put("connections", connections);
        s.putObject("outcomes").put("ok", connections - limited).put("client-limited", limited);
        return s;
    }

    @Test
    void mostlyClientLimitedMeasuredTheClient() throws Exception {
        ObjectNode s = summary(200, 150);
        String err = annotate(s);
        assertEquals(0.75, s.path("client_limited_share").asDouble());
        assertEquals("client", s.path("measured").asText());
        assertTrue(err.contains("this run measured the CLIENT, not the server: 150 of 200 connections (75.0%) were client-limited"), err);
        ExpectationReport r = ExpectationReport.evaluate(
                List.of(ExpectationParser.parse("client_limited_share < 0.5")), s);
        assertFalse(r.allPassed(), "the gate fails a run that measured the client");
    }

    @Test
    void aFewClientLimitedStillMeasuredTheServer() throws Exception {
        ObjectNode s = summary(200, 100); // exactly half is not "more than half"
        assertEquals("", annotate(s));
        assertEquals("server", s.path("measured").asText());
        ObjectNode none = summary(0, 0);
        annotate(none);
        assertEquals(0.0, none.path("client_limited_share").asDouble());
        assertTrue(ExpectationReport.evaluate(List.of(ExpectationParser.parse("client_limited_share < 0.6")), s).allPassed());
    }
}
