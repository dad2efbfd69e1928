package io.conlimit.theory;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.conlimit.theory.Models.LINEAR4;
import static io.conlimit.theory.Models.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each formula with numbers worked out by hand. */
class ForecastTest {
    static final Duration S3 = Duration.ofSeconds(3);

    private static BurstForecast.Cluster at(int s, int n) {
        return new BurstForecast.Cluster(Duration.ofSeconds(s), n);
    }

    @Test
    void burstAdmitsBacklogPlusIdleWorkersThenClustersAtRetryTimes() {
        // W=4 B=32 hold 700 ms: 33 + 4 at once; workers free 4 slots per 700 ms: by 1 s 4, by 2 s 8, by 3 s 16
        BurstForecast f = BurstForecast.of(Models.pool(4, 32, ms(700)), 300, LINEAR4, Duration.ofSeconds(4), Duration.ZERO);
        assertEquals(37, f.admittedAtOnce());
        assertEquals(List.of(at(1, 4), at(2, 4), at(3, 8)), f.clusters(), "the 4 s retry is not sent before a 4 s timeout");
        assertEquals(247, f.timeouts());
        assertEquals(53, f.admittedTotal());
        assertEquals(263, f.retransmitting());
    }

    /**
     * Linux's defaults on the server (SYN cookies on, tcp_abort_on_overflow off): the 1 s cluster meets 4 free slots
     * and is answered whole; 4 get in, the other 259 end connected with no server socket and retry no more.
     */
    @Test
    void aRetryClusterMeetingAFreeSlotIsAnsweredWhole() {
        BurstForecast f = BurstForecast.of(Models.pool(4, 32, ms(700)), 300, LINEAR4, Duration.ofSeconds(4), Duration.ZERO, 0,
                new ServerKernel(1, 0));
        assertEquals(37, f.admittedAtOnce());
        assertEquals(List.of(at(1, 4)), f.clusters());
        assertEquals(259, f.phantoms());
        assertEquals(0, f.timeouts());
        assertEquals(300, f.admittedTotal(), "the client sees every handshake complete");
        assertEquals(41, f.admittedByServer());
        // abort_on_overflow = 1 (the excess is reset) or cookies off: no batch, the model of the queue alone
        assertEquals(0, BurstForecast.of(Models.pool(4, 32, ms(700)), 300, LINEAR4, Duration.ofSeconds(4), Duration.ZERO, 0,
                new ServerKernel(1, 1)).phantoms());
        assertEquals(247, BurstForecast.of(Models.pool(4, 32, ms(700)), 300, LINEAR4, Duration.ofSeconds(4), Duration.ZERO, 0,
                new ServerKernel(0, 0)).timeouts());
        // a server that never frees a slot never meets a cluster with room: every retry is dropped
        BurstForecast forever = BurstForecast.of(Models.pool(2, 8, null), 100, LINEAR4, S3, Duration.ZERO, 0, new ServerKernel(1, 0));
        assertEquals(0, forever.phantoms());
        assertEquals(89, forever.timeouts());
    }

    @Test
    void burstAgainstWorkersThatHoldForEver() {
        BurstForecast f = BurstForecast.of(Models.pool(2, 8, null), 100, LINEAR4, S3, Duration.ZERO);
        assertEquals(11, f.admittedAtOnce());
        assertEquals(List.of(), f.clusters());
        assertEquals(89, f.timeouts());
        assertEquals(10, BurstForecast.of(Models.threadPool(2, 3, 4, null), 20, LINEAR4, S3, Duration.ZERO).admittedAtOnce(), "W + Q + B + 1");
        BurstForecast fits = BurstForecast.of(Models.pool(2, 8, null), 5, LINEAR4, S3, Duration.ZERO);
        assertEquals(5, fits.admittedAtOnce());
        assertEquals(0, fits.timeouts());
    }

    @Test
    void burstWithIntegerServiceCounts() {
        // serverfault: W=8 B=128 hold 200 ms, 8 s timeout: 137 at once, +40 per second, +80 between 5 s and 7 s
        BurstForecast f = BurstForecast.of(Models.pool(8, 128, ms(200)), 1000, LINEAR4, Duration.ofSeconds(8), Duration.ZERO);
        assertEquals(137, f.admittedAtOnce());
        assertEquals(List.of(at(1, 40), at(2, 40), at(3, 40), at(4, 40), at(5, 40), at(7, 80)), f.clusters());
        assertEquals(583, f.timeouts());
    }

    @Test
    void burstAgainstSleepyAccept() {
        // B+1 = 9 queued + 1 accepted at once; then 10 per second
        BurstForecast f = BurstForecast.of(Models.sleepy(ms(100), 8), 50, LINEAR4, S3, Duration.ZERO);
        assertEquals(10, f.admittedAtOnce());
        assertEquals(List.of(at(1, 10), at(2, 10)), f.clusters());
        assertEquals(20, f.timeouts());
    }

    @Test
    void burstNotModelled() {
        assertNull(BurstForecast.of(Models.pool(4, 8, Duration.ZERO), 100, LINEAR4, S3, Duration.ZERO), "hold 0");
        assertNull(BurstForecast.of(Models.eventLoop(8), 100, LINEAR4, S3, Duration.ZERO));
        assertNull(BurstForecast.of(ServiceModel.external(8, 4096), 100, LINEAR4, S3, Duration.ZERO));
    }

    @Test
    void rateAboveServiceRateFillsTheQueue() {
        // mu = 4 / 100 ms = 40/s; workers busy after 4/100 s; 65 slots fill at 60/s
        RateForecast f = RateForecast.of(Models.pool(4, 64, ms(100)), 100, Duration.ofSeconds(10), S3);
        assertTrue(f.overloaded());
        assertEquals(65 / 60.0, f.queueFillS(), 1e-9, "(B + 1) / (lambda - mu)");
        assertEquals(0.04 + 65 / 60.0, f.fullAfterS(), 1e-9);
        assertEquals(60, f.dropRate(), 1e-9);
        assertEquals(1000, f.arrivals());
        assertEquals(469, f.admittedLow(), "69 + 40 x 10");
        assertEquals(589, f.admittedHigh(), "69 + 40 x 13");
    }

    @Test
    void rateWithinServiceRateBuildsNoQueue() {
        RateForecast f = RateForecast.of(Models.pool(4, 64, ms(100)), 30, Duration.ofSeconds(10), S3);
        assertFalse(f.overloaded());
        assertFalse(f.fills());
        assertEquals(300, f.admittedLow());
        assertFalse(RateForecast.of(Models.eventLoop(8), 50_000, Duration.ofSeconds(1), S3).overloaded());
    }

    @Test
    void rateVariants() {
        RateForecast forever = RateForecast.of(Models.pool(2, 8, null), 10, Duration.ofSeconds(5), S3);
        assertEquals(0.2 + 0.9, forever.fullAfterS(), 1e-9, "mu = 0: (W + B + 1) / lambda");
        assertEquals(11, forever.admittedLow());
        assertEquals(11, forever.admittedHigh());
        RateForecast sleepy = RateForecast.of(Models.sleepy(ms(100), 8), 20, Duration.ofSeconds(5), S3);
        assertEquals(0.9, sleepy.fullAfterS(), 1e-9, "(B + 1) / (lambda - mu), no workers term");
        assertEquals(60, sleepy.admittedLow());
        assertEquals(90, sleepy.admittedHigh());
        RateForecast tp = RateForecast.of(Models.threadPool(2, 3, 4, Duration.ofSeconds(1)), 12, Duration.ofSeconds(10), S3);
        assertEquals(2 / 12.0 + 8 / 10.0, tp.fullAfterS(), 1e-9, "W/lambda + (Q + B + 1) / (lambda - mu)");
        RateForecast late = RateForecast.of(Models.pool(4, 64, ms(100)), 50, Duration.ofSeconds(2), S3);
        assertTrue(late.overloaded());
        assertFalse(late.fills(), "6.58 s > the 2 s phase");
        assertEquals(0, late.dropRate());
    }

    @Test
    void rampCrossesMuThenFills() {
        RampForecast f = RampForecast.of(Models.pool(4, 64, ms(100)), 0, 100, Duration.ofSeconds(10));
        assertEquals(4.0, f.crossingS(), 1e-9);
        assertEquals(4.0 + Math.sqrt(1300) / 10, f.fullAfterS(), 1e-9);
        RampForecast over = RampForecast.of(Models.pool(4, 64, ms(100)), 50, 100, Duration.ofSeconds(10));
        assertEquals(0.0, over.crossingS());
        assertEquals((-10 + Math.sqrt(750)) / 5, over.fullAfterS(), 1e-9);
        RampForecast flat = RampForecast.of(Models.pool(4, 64, ms(100)), 100, 100, Duration.ofSeconds(10));
        assertEquals(65 / 60.0, flat.fullAfterS(), 1e-9);
        RampForecast forever = RampForecast.of(Models.pool(2, 8, null), 0, 20, Duration.ofSeconds(10));
        assertEquals(Math.sqrt(44) / 2, forever.fullAfterS(), 1e-9, "mu = 0: the W workers count too");
        assertTrue(Double.isNaN(RampForecast.of(Models.pool(4, 64, ms(100)), 0, 40, Duration.ofSeconds(10)).crossingS()));
        assertTrue(Double.isNaN(RampForecast.of(Models.pool(4, 64, ms(100)), 0, 50, Duration.ofSeconds(10)).fullAfterS()), "fills after the ramp");
    }

    @Test
    void synScheduleKeepsRetriesBeforeTheTimeout() {
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), LINEAR4.before(S3));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new SynSchedule(List.of(Duration.ofSeconds(2), Duration.ofSeconds(1))));
    }
}
