package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fleet thread lets the listener prepare it (allocate its recorder) before it starts a phase's first
 * connection, on both connect paths and for both load shapes: a first connection that allocated per-thread
 * state itself delayed a rate phase's first starts by milliseconds (docs/benchmarks.md).
 */
class ThreadPreparationTest {
    private static Fleet direct;
    private static Fleet channels;

    @BeforeAll
    static void start() {
        direct = new Fleet(2, true);
        channels = new Fleet(2, false);
    }

    @AfterAll
    static void stop() {
        direct.close();
        channels.close();
    }

    /** Remembers the threads prepared (and when), and the threads that started a connection before being prepared. */
    private static final class PreparedThreads extends CollectingListener {
        private final long epochNanos;
        final Set<String> prepared = ConcurrentHashMap.newKeySet();
        final AtomicLong lastPrepared = new AtomicLong(Long.MIN_VALUE);
        final Set<String> startedOn = ConcurrentHashMap.newKeySet();
        final Set<String> startedUnprepared = ConcurrentHashMap.newKeySet();

        PreparedThreads(long epochNanos) {
            this.epochNanos = epochNanos;
        }

        @Override
        public void prepareThread() {
            prepared.add(Thread.currentThread().getName());
            lastPrepared.accumulateAndGet(System.nanoTime() - epochNanos, Math::max);
        }

        @Override
        public void started(int phase, long intendedNanos, long connectCallNanos) {
            String t = Thread.currentThread().getName();
            startedOn.add(t);
            if (!prepared.contains(t)) {
                startedUnprepared.add(t);
            }
            super.started(phase, intendedNanos, connectCallNanos);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"direct,rate", "direct,burst", "channel,rate", "channel,burst"})
    void everyThreadIsPreparedBeforeItsFirstConnection(String path, String shape) throws Exception {
        Fleet fleet = path.equals("direct") ? direct : channels;
        LoadPhase phase = shape.equals("rate") ? new LoadPhase.Rate(400, Duration.ofMillis(100), false) : new LoadPhase.Burst(40);
        try (ServerSocket server = TestServers.listener(128)) { // nobody accepts: the kernel completes the handshakes
            long epoch = System.nanoTime();
            PreparedThreads seen = new PreparedThreads(epoch);
            FleetResult result = fleet.run(TestServers.address(server), TestServers.connectOnly(Duration.ofSeconds(2)),
                    List.of(phase), seen, epoch);
            assertEquals(40, seen.starts().size());
            assertEquals(Map.of(Outcome.CONNECTED, 40), seen.outcomes());
            assertTrue(!seen.startedOn.isEmpty() && seen.startedOn.stream().allMatch(t -> t.startsWith("conlimit-fleet-")),
                    "connects from the event loops: " + seen.startedOn);
            assertEquals(Set.of(), seen.startedUnprepared, "threads that started a connection before being prepared");
            long firstIntended = seen.starts().stream().mapToLong(st -> st[1]).min().orElseThrow();
            // a rate's first start is set PacedPhase.LEAD_NANOS after every loop prepared; a burst's is its release
            long bound = shape.equals("rate") ? firstIntended - PacedPhase.LEAD_NANOS : firstIntended;
            assertTrue(seen.lastPrepared.get() <= bound, "every thread prepared before the first start was set: last "
                    + seen.lastPrepared.get() + " ns, first intended start " + firstIntended + " ns");
        }
    }
}
