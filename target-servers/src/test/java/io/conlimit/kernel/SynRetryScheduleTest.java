package io.conlimit.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynRetryScheduleTest {
    private static final long MAX = SynRetrySchedule.DEFAULT_RTO_MAX_MILLIS;

    @Test
    void linux65DefaultsLinearThenExponential() {
        // KERNEL-NOTES: clusters near 1, 2, 3, 4, 5, then 7, 11, 19, 35, 67 s, failure at ~131 s
        SynRetrySchedule s = SynRetrySchedule.compute(6, 4, MAX);
        assertEquals(List.of(1000L, 2000L, 3000L, 4000L, 5000L, 7000L, 11000L, 19000L, 35000L, 67000L), s.retransmitMillis());
        assertEquals(131_000L, s.failureMillis());
    }

    @Test
    void oldKernelsExponentialOnly() {
        // before 6.5: 1, 3, 7, 15, 31, 63 s, failure at ~127 s
        SynRetrySchedule s = SynRetrySchedule.fromSysctlMap(Map.of("net.ipv4.tcp_syn_retries", "6"));
        assertEquals(List.of(1000L, 3000L, 7000L, 15000L, 31000L, 63000L), s.retransmitMillis());
        assertEquals(127_000L, s.failureMillis());
        assertFalse(s.linearTimeoutsKnown());
    }

    @Test
    void timeBudgetEndsShortRetryCountsEarly() {
        // tcp_model_timeout(2) = 7 s: measured on this kernel in a namespace (retries 2, linear 4):
        // ETIMEDOUT after 7.1 s, TCPSynRetrans 5, ListenOverflows 6
        SynRetrySchedule s = SynRetrySchedule.compute(2, 4, MAX);
        assertEquals(List.of(1000L, 2000L, 3000L, 4000L, 5000L), s.retransmitMillis());
        assertEquals(7000L, s.failureMillis());
        SynRetrySchedule one = SynRetrySchedule.compute(1, 4, MAX);
        assertEquals(List.of(1000L, 2000L), one.retransmitMillis());
        assertEquals(3000L, one.failureMillis());
        SynRetrySchedule oneOld = SynRetrySchedule.compute(1, 0, MAX);
        assertEquals(List.of(1000L), oneOld.retransmitMillis());
        assertEquals(3000L, oneOld.failureMillis());
    }

    @Test
    void rtoIsCappedAtRtoMax() {
        // 8 retries, no linear: 1,3,7,15,31,63,127 then +120 (128 capped), fail at 367 = tcp_model_timeout(8)
        SynRetrySchedule s = SynRetrySchedule.compute(8, 0, MAX);
        assertEquals(List.of(1000L, 3000L, 7000L, 15000L, 31000L, 63000L, 127000L, 247000L), s.retransmitMillis());
        assertEquals(367_000L, s.failureMillis());
        assertEquals(367_000L, SynRetrySchedule.modelTimeoutMillis(8, 1000, MAX));
        // a smaller cap (tcp_rto_max_ms, 6.15+) flattens the tail
        SynRetrySchedule capped = SynRetrySchedule.fromSysctlMap(Map.of(
                "net.ipv4.tcp_syn_retries", "6", "net.ipv4.tcp_syn_linear_timeouts", "0", "net.ipv4.tcp_rto_max_ms", "8000"));
        assertEquals(List.of(1000L, 3000L, 7000L, 15000L, 23000L, 31000L), capped.retransmitMillis());
    }

    @Test
    void describesAndMaps() {
        SynRetrySchedule s = SynRetrySchedule.compute(2, 4, MAX);
        assertEquals("SYN retransmits at 1, 2, 3, 4, 5 s; connect() fails at 7 s (tcp_syn_retries 2, tcp_syn_linear_timeouts 4)",
                s.describe());
        Map<String, Object> m = s.toMap();
        assertEquals(7.0, m.get("connect_fails_at_s"));
        assertEquals(5, m.get("retransmits"));
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> SynRetrySchedule.compute(0, 4, MAX));
        assertThrows(IllegalArgumentException.class, () -> SynRetrySchedule.fromSysctlMap(Map.of()));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> SynRetrySchedule.fromSysctlMap(Map.of("net.ipv4.tcp_syn_retries", "n/a"))).getMessage().contains("tcp_syn_retries"));
    }
}
