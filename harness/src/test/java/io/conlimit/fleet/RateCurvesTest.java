package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Each load shape on its own (Λ⁻¹ and Λ(T)), and the two arrival processes over them. */
class RateCurvesTest {
    @Test
    void eachPhasePicksItsShape() {
        assertInstanceOf(ConstantRate.class, RateCurve.of(new LoadPhase.Rate(10, Duration.ofSeconds(1), false)));
        assertInstanceOf(LinearRamp.class, RateCurve.of(new LoadPhase.Ramp(10, 20, Duration.ofSeconds(1), 0)));
        assertInstanceOf(SteppedRamp.class, RateCurve.of(new LoadPhase.Ramp(10, 20, Duration.ofSeconds(1), 2)));
        assertInstanceOf(ConstantRate.class, RateCurve.of(new LoadPhase.Ramp(20, 20, Duration.ofSeconds(1), 3)),
                "a ramp that does not change is a constant rate");
        assertThrows(IllegalArgumentException.class, () -> RateCurve.of(new LoadPhase.Burst(5)));
        assertInstanceOf(PoissonSchedule.class, ArrivalSchedule.of(new LoadPhase.Rate(10, Duration.ofSeconds(1), true), 1));
        assertInstanceOf(EvenSchedule.class, ArrivalSchedule.of(new LoadPhase.Rate(10, Duration.ofSeconds(1), false), 1));
    }

    @Test
    void constantRate() {
        ConstantRate c = new ConstantRate(200, 1_000_000_000L);
        assertEquals(15_000_000L, c.timeOf(3));
        assertEquals(333_333_333L, new ConstantRate(3, 1_000_000_000L).timeOf(1));
        assertEquals(200.0, c.expectedCount());
    }

    @Test
    void linearRampInvertsItsCumulativeRate() {
        LinearRamp up = new LinearRamp(100, 300, 2_000_000_000L); // Λ(t) = 100 t + 50 t²
        for (double t : new double[] {0, 0.5, 1, 1.5}) {
            assertEquals(Math.round(t * 1e9), up.timeOf(100 * t + 50 * t * t), 1, "Λ⁻¹(Λ(" + t + "))");
        }
        assertEquals(400.0, up.expectedCount());
        LinearRamp down = new LinearRamp(300, 100, 2_000_000_000L); // Λ(t) = 300 t - 50 t², at most 450 at t = 3 s
        assertEquals(1_000_000_000L, down.timeOf(250));
        assertEquals(-1, down.timeOf(451), "beyond the falling ramp's peak: no time");
    }

    @Test
    void steppedRampRunsEachStepAtItsRate() {
        SteppedRamp s = new SteppedRamp(0, 100, 3_000_000_000L, 3); // 1 s at 0/s, 50/s, 100/s
        assertEquals(List.of(0.0, 50.0, 100.0), List.of(s.rate(0), s.rate(1), s.rate(2)));
        assertEquals(1_000_000_000L, s.timeOf(0), "nothing in the first step at 0/s");
        assertEquals(2_010_000_000L, s.timeOf(51));
        assertEquals(-1, s.timeOf(150));
        assertEquals(150.0, s.expectedCount());
        SteppedRamp one = new SteppedRamp(1500, 50, 2_000_000_000L, 1);
        assertEquals(100.0, one.expectedCount(), "a single step runs at the ramp's end rate");
        assertEquals(100, ArrivalScheduleTest.all(new EvenSchedule(one, 0, 1)).size());
        assertThrows(IllegalArgumentException.class, () -> new SteppedRamp(1, 2, 1, 0));
    }

    @Test
    void aShardIsANewScheduleFromTheStart() {
        ArrivalSchedule whole = ArrivalSchedule.of(new LoadPhase.Rate(100, Duration.ofSeconds(1), false), 1);
        whole.next();
        ArrivalSchedule second = whole.shard(1, 2);
        assertNotSame(whole, second);
        assertEquals(10_000_000L, second.next(), "arrival 1 of the one schedule, not after what 'whole' gave");
        assertEquals(10_000_000L, whole.next(), "the original keeps its own place");
        assertThrows(IllegalArgumentException.class, () -> whole.shard(2, 2));
        assertThrows(IllegalArgumentException.class, () -> whole.shard(0, 0));
    }

    @Test
    void theEvenScheduleSharedByThreadsGivesEveryTimeOnce() throws Exception {
        LoadPhase.Ramp ramp = new LoadPhase.Ramp(1_000, 50_000, Duration.ofSeconds(1), 0);
        List<Long> alone = ArrivalScheduleTest.all(ArrivalSchedule.of(ramp, 1));
        ArrivalSchedule shared = ArrivalSchedule.of(ramp, 1);
        ConcurrentLinkedQueue<Long> taken = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                for (long x; (x = shared.next()) >= 0; ) {
                    taken.add(x);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(30_000);
        }
        List<Long> sorted = new ArrayList<>(taken);
        Collections.sort(sorted);
        assertEquals(alone, sorted, "no arrival skipped or taken twice");
    }

    /**
     * The split into shape classes keeps the one-class schedule's times to the nanosecond: count and hash of every
     * time, whole and as shard 1 of 3, taken from the single ArrivalSchedule class before the split (seed 7).
     */
    @Test
    void theTimesAreTheSameAsBeforeTheSplit() {
        List<LoadPhase> shapes = List.of(
                new LoadPhase.Rate(1234.5, Duration.ofMillis(1700), false),
                new LoadPhase.Rate(5000, Duration.ofSeconds(2), true),
                new LoadPhase.Ramp(100, 2500, Duration.ofMillis(1900), 0),
                new LoadPhase.Ramp(2500, 100, Duration.ofMillis(1900), 0),
                new LoadPhase.Ramp(50, 1500, Duration.ofMillis(2300), 4),
                new LoadPhase.Ramp(1500, 50, Duration.ofMillis(2300), 1),
                new LoadPhase.Ramp(700, 700, Duration.ofSeconds(1), 3),
                new LoadPhase.Ramp(0, 900, Duration.ofSeconds(1), 0));
        List<String> before = List.of(
                "2099:ffd6aaffaae3f39c 700:c6400b8a9d29f582",
                "10093:b6b2700c877af2d4 3364:33b877bf18e3eef3",
                "2470:c3f002035c7c8d4c 823:9a2d778d38079a69",
                "2470:5747e4311e7d10fe 823:9b395191b9d7765b",
                "1783:c40097ef8a4eac11 594:e2bcb7bf9e7cd12e",
                "115:9da5431cddce04fb 38:fabcd8522c5fd125",
                "700:a874780b738e0265 233:4dbaaac8bda0620",
                "450:956cb9a14583141e 150:21735e12b28c561b");
        for (int i = 0; i < shapes.size(); i++) {
            LoadPhase p = shapes.get(i);
            assertEquals(before.get(i), digest(p, 0, 1) + " " + digest(p, 1, 3), p.toString());
        }
    }

    private static String digest(LoadPhase p, int shard, int count) {
        long h = 1125899906842597L;
        List<Long> times = ArrivalScheduleTest.all(ArrivalSchedule.of(p, 7).shard(shard, count));
        for (long t : times) {
            h = 31 * h + t;
        }
        return times.size() + ":" + Long.toHexString(h);
    }
}
