package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One connect-timeout sweep per event loop: connections that got in are dropped, the others time out at their own deadline. */
@Timeout(60)
class ConnectDeadlinesTest {
    private static final long TIMEOUT_NANOS = 1_200_000_000L;
    private static Fleet fleet;

    @BeforeAll
    static void start() {
        fleet = new Fleet(2);
    }

    @AfterAll
    static void stop() {
        fleet.close();
    }

    @Test
    void aBurstIntoAFullAcceptQueueTimesOutEachConnectionThatDidNotGetInAtItsDeadline() throws Exception {
        // backlog 1, nobody accepts: the kernel's queue takes max + 1 = 2 connections, the other SYNs are dropped.
        try (ServerSocket full = TestServers.listener(1)) {
            CollectingListener l = new CollectingListener();
            fleet.run(TestServers.address(full), TestServers.connectOnly(Duration.ofNanos(TIMEOUT_NANOS)),
                    List.of(new LoadPhase.Burst(8)), l, System.nanoTime());
            List<ConnectionRecord> records = l.decided();
            assertEquals(8, records.size());
            int ok = l.outcomes().getOrDefault(Outcome.CONNECTED, 0);
            int timedOut = l.outcomes().getOrDefault(Outcome.CONNECT_TIMEOUT, 0);
            // two fit the accept queue (a third may finish its handshake while the queue fills: its final ACK is
            // then dropped by the server, but the client sees it connected)
            assertTrue(ok >= 2 && ok <= 4, "two (rarely up to four) connect: " + records);
            assertEquals(8, ok + timedOut, "every other one times out: " + records);
            for (ConnectionRecord r : records) {
                if (r.outcome() == Outcome.CONNECT_TIMEOUT) {
                    long waited = r.decidedNanos() - r.connectCallNanos();
                    // never before its own deadline; late only by timer and scheduling noise (generous: loaded CI)
                    assertTrue(waited >= TIMEOUT_NANOS && waited < TIMEOUT_NANOS + 1_000_000_000L,
                            "decided by the sweep at its deadline: " + waited + " " + r);
                    assertTrue(r.synRetransmits() >= 1, "its SYN was dropped and retransmitted at 1 s: " + r);
                }
            }
        }
    }

    /** An attempt driven by hand on the loop: it times out when asked, never extends. */
    private static final class Manual implements Attempt {
        final ConnectionTrace trace;
        final long deadline;
        long timedOutAt = -1;
        private final RunContext run;

        Manual(RunContext run, long deadline) {
            this.run = run;
            this.deadline = deadline;
            this.trace = new ConnectionTrace(run, new PhaseStats(0, "manual", false), 0, this, run.transport.loops().get(0));
        }

        @Override
        public io.netty.util.concurrent.Future<Void> prepare() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long connectNow(long intendedNanos) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void called() {
        }

        @Override
        public void launch(long intendedNanos) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long callNanos() {
            return 0;
        }

        @Override
        public long connectDeadline() {
            return deadline;
        }

        @Override
        public boolean connectTimedOut() {
            timedOutAt = run.now();
            return true;
        }
    }

    /**
     * One connection still waiting (its SYN retried) keeps no finished one behind it: each leaves the queue when it
     * completes, wherever it is; the waiting one still times out at its own deadline, and only then.
     */
    @Test
    void finishedConnectionsLeaveTheQueueBehindAWaitingOne() throws Exception {
        Transport transport = new Transport(1);
        try {
            io.netty.channel.EventLoop loop = transport.loops().get(0);
            RunContext run = new RunContext(transport, new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9),
                    TestServers.connectOnly(Duration.ofSeconds(1)), new CollectingListener(), System.nanoTime(), false);
            ConnectDeadlines deadlines = run.deadlines(loop);
            long stuckDeadline = run.now() + 300_000_000L;
            Manual stuck = new Manual(run, stuckDeadline);
            List<Manual> done = new java.util.ArrayList<>();
            int[] sizes = loop.submit(() -> {
                deadlines.add(stuck.trace);
                for (int i = 0; i < 10_000; i++) {
                    Manual m = new Manual(run, stuckDeadline + i);
                    deadlines.add(m.trace);
                    done.add(m);
                }
                int before = deadlines.size();
                for (int i = 0; i < done.size(); i += 2) {
                    deadlines.remove(done.get(i).trace); // completed: every other one, from the middle of the queue
                }
                for (int i = 1; i < done.size(); i += 2) {
                    deadlines.remove(done.get(i).trace);
                }
                deadlines.remove(done.get(0).trace); // twice: idempotent
                return new int[] {before, deadlines.size()};
            }).get();
            assertEquals(10_001, sizes[0]);
            assertEquals(1, sizes[1], "only the connection still waiting is left");
            long waitUntil = System.nanoTime() + 5_000_000_000L;
            while (loop.submit(() -> stuck.timedOutAt).get() < 0 && System.nanoTime() < waitUntil) {
                Thread.onSpinWait();
            }
            long at = loop.submit(() -> stuck.timedOutAt).get();
            assertTrue(at >= stuckDeadline, "never before its deadline: " + at + " < " + stuckDeadline);
            assertEquals(0, (int) loop.submit(deadlines::size).get());
            assertTrue(done.stream().allMatch(m -> m.timedOutAt < 0), "no finished connection was timed out");
        } finally {
            transport.shutdown();
        }
    }

    /** The queue's state belongs to its event loop: touching it from another thread fails (assertions are on in tests). */
    @Test
    void theQueueIsTouchedOnlyFromItsLoop() {
        Transport transport = new Transport(1);
        try {
            RunContext run = new RunContext(transport, new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9),
                    TestServers.connectOnly(Duration.ofSeconds(1)), new CollectingListener(), System.nanoTime(), false);
            Manual m = new Manual(run, 0);
            org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                    () -> run.deadlines(transport.loops().get(0)).add(m.trace));
        } finally {
            transport.shutdown();
        }
    }
}
