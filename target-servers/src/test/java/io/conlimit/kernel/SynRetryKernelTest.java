package io.conlimit.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The schedule against the running kernel: in a namespace of our own with tcp_syn_retries 1 and
 * tcp_syn_linear_timeouts 4, a connect() into a full accept queue must time out after 3 s having
 * retransmitted its SYN exactly twice (at 1 and 2 s). An exponential-only model would say once; a
 * count-only model (retries + linear = 5) would say 5 retransmits and 7 s.
 */
class SynRetryKernelTest {

    @Test
    void connectIntoFullQueueFailsOnTheComputedSchedule() throws Exception {
        try (NetworkNamespace ns = Namespaces.createOrSkip()) {
            ns.sysctl("net.ipv4.tcp_syn_retries", "1");
            boolean hasLinear = !ns.run("sh", "-c", "test -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts && echo yes || echo no")
                    .trim().equals("no");
            if (hasLinear) {
                ns.sysctl("net.ipv4.tcp_syn_linear_timeouts", "4");
            }
            SynRetrySchedule expected = SynRetrySchedule.fromSysctlMap(Map.of(
                    "net.ipv4.tcp_syn_retries", ns.readSysctl("net.ipv4.tcp_syn_retries"),
                    "net.ipv4.tcp_syn_linear_timeouts", hasLinear ? ns.readSysctl("net.ipv4.tcp_syn_linear_timeouts") : "n/a"));
            TcpExtCounters counters = TcpExtCounters.in(ns);
            Map<String, Long> before = counters.readEvidence();
            try (ChildJava child = ChildJava.start(ns.exec(ChildJava.command(FullQueueChild.class, "timeout", "1")))) {
                String line = child.await("FAILED_MS", 30_000);
                long failedMs = Long.parseLong(line.split(" ")[1]);
                assertEquals(0, child.waitFor(10_000), child.output());
                Map<String, Long> delta = TcpExtCounters.delta(before, counters.readEvidence(), TcpExtCounters.LISTEN_EVIDENCE);
                // exact: one SYN retransmit counted per retransmit; every SYN (first + retransmits) overflowed
                assertEquals(expected.retransmitMillis().size(), delta.get("TCPSynRetrans"), "SYN retransmits " + delta);
                assertEquals(expected.retransmitMillis().size() + 1, delta.get("ListenOverflows"), "overflows " + delta);
                // timing: jiffies and a loaded machine make it late by a little, never early
                assertTrue(failedMs >= expected.failureMillis() - 50 && failedMs <= expected.failureMillis() + 1000,
                        "connect failed after " + failedMs + " ms, schedule says " + expected.describe());
                if (hasLinear) {
                    assertEquals(List.of(1000L, 2000L), expected.retransmitMillis());
                }
            }
        }
    }
}
