package io.conlimit.expect;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExpectationParserTest {

    @Test
    void operatorsAndNumbers() {
        for (Op op : Op.values()) {
            Expectation e = ExpectationParser.parse("ok " + op.symbol() + " 990");
            assertEquals(op, e.op());
            assertEquals(List.of("outcomes", "ok"), e.lhs().segments());
            assertEquals(990.0, ((Operand.Number) e.rhs()).value());
        }
        assertEquals(-1.5, ((Operand.Number) ExpectationParser.parse("x>-1.5").rhs()).value());
    }

    @Test
    void aliases() {
        assertEquals("connect_ms.p99", ExpectationParser.parse("connect.p99 < 1500ms").lhs().resolved());
        assertEquals("ttfb_ms.p50", ExpectationParser.parse("ttfb.p50 < 1").lhs().resolved());
        assertEquals("launch_spread_ms", ExpectationParser.parse("launch_spread < 1").lhs().resolved());
        assertEquals("outcomes.connect-timeout", ExpectationParser.parse("connect-timeout == 0").lhs().resolved());
        assertEquals("outcomes.connect-timeout", ExpectationParser.parse("outcomes.connect-timeout == 0").lhs().resolved());
        assertEquals("connect_ms.p99", ExpectationParser.parse("connect_ms.p99 < 1").lhs().resolved());
    }

    @Test
    void durationsConvertToTheLeftSidesUnit() {
        assertEquals(1500.0, ((Operand.Number) ExpectationParser.parse("connect.p99 < 1.5s").rhs()).value());
        assertEquals(1500.0, ((Operand.Number) ExpectationParser.parse("connect.p99 < 1500ms").rhs()).value());
        assertEquals(0.25, ((Operand.Number) ExpectationParser.parse("connect.p99 < 250us").rhs()).value());
        assertEquals(60.0, ((Operand.Number) ExpectationParser.parse("duration_s <= 1m").rhs()).value());
        assertEquals(1500.0, ((Operand.Number) ExpectationParser.parse("connect.p99 < 1500").rhs()).value(), "a plain number is in the key's unit");
    }

    @Test
    void pathsBooleansAndTolerance() {
        Expectation e = ExpectationParser.parse("limit.measured == limit.predicted ± 2");
        assertEquals("limit.predicted", assertInstanceOf(Operand.Path.class, e.rhs()).path().resolved());
        assertEquals(2.0, e.tolerance());
        assertEquals(2.0, ExpectationParser.parse("limit.measured==limit.predicted+-2").tolerance());
        assertEquals(100.0, ExpectationParser.parse("connect.p99 == 1s ± 100ms").tolerance());
        assertEquals(true, assertInstanceOf(Operand.Bool.class, ExpectationParser.parse("complete == true").rhs()).value());
        assertEquals("limit.measured == limit.predicted ± 2", e.text());
    }

    private static ExpectationSyntaxException bad(String text) {
        return assertThrows(ExpectationSyntaxException.class, () -> ExpectationParser.parse(text), text);
    }

    @Test
    void errorsSayWhatAndWhere() {
        ExpectationSyntaxException e = bad("ok => 5");
        assertEquals("unknown operator '=>'", e.problem());
        assertEquals(3, e.offset());
        assertEquals("one of ==, !=, <, <=, >, >=", e.expected());
        assertEquals("unknown operator '==='", bad("ok === 5").problem());
        assertEquals("missing operator and value after 'ok'", bad("ok").problem());
        assertEquals("missing value after the operator", bad("ok >=").problem());
        assertEquals("empty expectation", bad("  ").problem());
        assertEquals("'42 == ok' does not start with a summary path", bad("42 == ok").problem());
        assertEquals("'15OOms' is not a number or a duration", bad("connect.p99 < 15OOms").problem());
        assertEquals(14, bad("connect.p99 < 15OOms").offset());
        assertEquals("unexpected 'and ok > 1' after the expectation", bad("ok > 1 and ok > 1").problem());
        assertEquals("true/false compares with == or != only, without tolerance", bad("complete < true").problem());
        assertEquals("path 'ok.' ends with a dot", bad("ok. > 1").problem());
        assertEquals("'1.2.3' is not a number", bad("ok > 1.2.3").problem());
        assertEquals("bad tolerance '-1'", bad("ok == 1 ± -1").problem());
    }

    @Test
    void durationOnlyAgainstATimeMetric() {
        ExpectationSyntaxException e = bad("held_max < 2s");
        assertEquals("a duration (2s) compared with 'held_max', which is not a time", e.problem());
        assertEquals(11, e.offset());
    }
}
