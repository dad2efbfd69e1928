package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SYN retransmit counts from TCP_INFO agree with the kernel's SYN retry schedule: two connects, A at 0 and
 * B at 0.5 s (a 2/s rate), wait on a full accept queue (backlog 1: 2 queued, nobody accepts). The test
 * accept()s one queued connection at A + 0.7 s, so A's first retransmit (A + 1 s) gets in and fills the queue
 * again (B's first retransmit at A + 1.5 s is dropped), then another at A + 2.2 s, so B's second retransmit
 * (B + 2 s = A + 2.5 s) gets in. The connects are staggered on purpose: two SYNs arriving together at a
 * queue with one free slot would both be answered, and the second ACK dropped with the client believing
 * it is connected (tcp_abort_on_overflow=0), which is a different fact.
 */
@Timeout(60)
class SynRetransmitScheduleTest {
    /** Tolerance on connect latency around a retransmit instant (timer slack, a loaded 2-core machine). */
    private static final long TOLERANCE_NANOS = 400_000_000L;

    /** Cumulative time of the k-th SYN retransmit (k from 1): linear for the first tcp_syn_linear_timeouts, then doubling. */
    static long retransmitAtNanos(int k, int linear) {
        long at = 0;
        long rto = 1_000_000_000L;
        for (int i = 1; i <= k; i++) {
            at += rto;
            if (i >= linear) {
                rto *= 2;
            }
        }
        return at;
    }

    /** On both connect paths: the direct one sees the retransmitted SYN's completion as an EPOLLOUT event. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"direct", "channel"})
    void connectLatencyMatchesTheRetransmitCount(String path) throws Exception {
        int linear = linearTimeouts();
        try (ServerSocket full = TestServers.listener(1);
             Fleet fleet = new Fleet(2, path.equals("direct"))) {
            assertEquals(path, fleet.connectPath(TestServers.connectOnly(Duration.ofSeconds(8)),
                    List.of(new LoadPhase.Rate(2, Duration.ofSeconds(1), false))));
            List<Socket> held = new ArrayList<>();
            held.add(TestServers.plainConnect(full));
            held.add(TestServers.plainConnect(full));
            CollectingListener l = new CollectingListener();
            long epoch = System.nanoTime();
            CompletableFuture<FleetResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return fleet.run(TestServers.address(full), TestServers.connectOnly(Duration.ofSeconds(8)),
                            List.of(new LoadPhase.Rate(2, Duration.ofSeconds(1), false)), l, epoch);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (l.started.get() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(l.started.get() >= 1, "A's connect called");
            long call = l.starts().stream().min(Comparator.comparingLong(st -> st[1])).orElseThrow()[2];
            assertTrue(System.nanoTime() - epoch < call + 600_000_000L, "the test thread saw A's start too late to drain on time");
            // The experiment's timing: free one queue slot at A + 0.7 s, another at A + 2.2 s.
            sleepUntil(epoch + call + 700_000_000L);
            held.add(full.accept());
            sleepUntil(epoch + call + 2_200_000_000L);
            held.add(full.accept());
            run.get(20, TimeUnit.SECONDS);

            List<ConnectionRecord> rs = new ArrayList<>(l.closed());
            rs.sort(Comparator.comparingLong(ConnectionRecord::intendedNanos));
            assertEquals(2, rs.size());
            long stagger = rs.get(1).connectCallNanos() - rs.get(0).connectCallNanos();
            assertTrue(stagger > 300_000_000L && stagger < 700_000_000L, "the experiment needs A and B ~0.5 s apart: " + rs);
            for (int k = 1; k <= 2; k++) {
                ConnectionRecord r = rs.get(k - 1);
                assertEquals(Outcome.CONNECTED, r.outcome(), r.toString());
                long expected = retransmitAtNanos(k, linear);
                long latency = r.connectFromCallNanos();
                assertTrue(Math.abs(latency - expected) < TOLERANCE_NANOS,
                        "connection " + k + " should connect near retransmit " + k + " at " + expected / 1e9 + " s, took "
                                + latency / 1e9 + " s: " + r + " all: " + rs);
                assertEquals(k, r.synRetransmits(), "tcpi_total_retrans after connecting at " + latency / 1e9 + " s: " + r);
            }
            for (Socket s : held) {
                s.close();
            }
        }
    }

    /** net.ipv4.tcp_syn_linear_timeouts, 0 when the kernel does not have it (before 6.5: all exponential). */
    private static int linearTimeouts() throws java.io.IOException {
        java.nio.file.Path p = java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_syn_linear_timeouts");
        if (!java.nio.file.Files.exists(p)) {
            return 0;
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(p)) { // a stream: procfs reports size 0
            return Integer.parseInt(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim());
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }
}
