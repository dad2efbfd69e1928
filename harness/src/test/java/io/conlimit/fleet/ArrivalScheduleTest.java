package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrivalScheduleTest {
    /** Every time the schedule gives, in order. */
    static List<Long> all(ArrivalSchedule s) {
        List<Long> out = new ArrayList<>();
        for (long t = s.next(); t >= 0; t = s.next()) {
            out.add(t);
        }
        return out;
    }

    @Test
    void evenRateIsExactlySpaced() {
        List<Long> t = all(ArrivalSchedule.of(new LoadPhase.Rate(200, Duration.ofSeconds(1), false), 1));
        assertEquals(200, t.size());
        for (int i = 0; i < t.size(); i++) {
            assertEquals(i * 5_000_000L, t.get(i));
        }
        List<Long> third = all(ArrivalSchedule.of(new LoadPhase.Rate(3, Duration.ofSeconds(1), false), 1));
        assertEquals(List.of(0L, 333_333_333L, 666_666_667L), third, "computed from i, so no drift");
    }

    @Test
    void poissonIsSeededOrderedAndAboutTheRate() {
        LoadPhase.Rate r = new LoadPhase.Rate(10_000, Duration.ofSeconds(1), true);
        List<Long> a = all(ArrivalSchedule.of(r, 42));
        assertEquals(a, all(ArrivalSchedule.of(r, 42)), "same seed, same arrivals");
        // Poisson count with mean 10,000: sd 100; 5 sd either side.
        assertTrue(Math.abs(a.size() - 10_000) < 500, "count " + a.size());
        for (int i = 1; i < a.size(); i++) {
            assertTrue(a.get(i) >= a.get(i - 1));
        }
        assertTrue(a.get(a.size() - 1) < 1_000_000_000L);
    }

    @Test
    void linearRampCountsTheAreaUnderTheRate() {
        List<Long> t = all(ArrivalSchedule.of(new LoadPhase.Ramp(100, 300, Duration.ofSeconds(2), 0), 1));
        assertEquals(400, t.size(), "(100 + 300) / 2 * 2 s");
        // the gaps shrink as the rate grows: ~10 ms at the start, ~3.3 ms at the end
        assertTrue(t.get(1) - t.get(0) > 9_000_000L && t.get(1) - t.get(0) < 10_100_000L);
        long lastGap = t.get(t.size() - 1) - t.get(t.size() - 2);
        assertTrue(lastGap > 3_200_000L && lastGap < 3_500_000L, "last gap " + lastGap);
        List<Long> down = all(ArrivalSchedule.of(new LoadPhase.Ramp(300, 100, Duration.ofSeconds(2), 0), 1));
        assertEquals(400, down.size(), "a falling ramp ends");
    }

    @Test
    void steppedRamp() {
        List<Long> t = all(ArrivalSchedule.of(new LoadPhase.Ramp(0, 100, Duration.ofSeconds(3), 3), 1));
        // steps of 1 s at 0/s, 50/s, 100/s
        assertEquals(150, t.size());
        assertEquals(1_000_000_000L, t.get(0));
        assertEquals(1_020_000_000L, t.get(1));
        assertEquals(2_000_000_000L, t.get(50));
        assertEquals(2_010_000_000L, t.get(51));
    }
}
