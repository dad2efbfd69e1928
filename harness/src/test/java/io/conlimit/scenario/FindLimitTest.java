package io.conlimit.scenario;

import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FindLimitTest {
    /** Runs the search against a fake server whose knee is {@code knee} (values <= knee pass). */
    private static List<Long> search(KneeSearch s, long knee) {
        List<Long> tried = new ArrayList<>();
        while (s.next().isPresent()) {
            long v = s.next().getAsLong();
            tried.add(v);
            s.record(v, v <= knee, v <= knee ? "no failures" : "connect-timeout " + (v - knee));
        }
        return tried;
    }

    @Test
    void exponentialThenBinary() {
        KneeSearch s = new KneeSearch(100, 100_000, 2, 1);
        List<Long> tried = search(s, 137);
        assertEquals(List.of(100L, 200L, 150L, 125L, 137L, 143L, 140L, 138L), tried);
        assertEquals(137, s.largestPassing());
        assertEquals(138, s.smallestFailing());
        assertTrue(s.done());
        assertEquals("connect-timeout 1", s.steps().get(7).evidence());
    }

    @Test
    void resolutionStopsEarly() {
        KneeSearch s = new KneeSearch(100, 100_000, 2, 10);
        search(s, 137);
        assertTrue(s.smallestFailing() - s.largestPassing() <= 10);
        assertTrue(s.largestPassing() <= 137 && s.smallestFailing() > 137);
    }

    @Test
    void failingAtOnceSearchesBelowAndMaxCapsGrowth() {
        KneeSearch low = new KneeSearch(100, 1000, 2, 1);
        search(low, 0);
        assertEquals(-1, low.largestPassing(), "nothing passes");
        assertEquals(1, low.smallestFailing());
        KneeSearch capped = new KneeSearch(100, 1000, 2, 1);
        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L), search(capped, 5000));
        assertEquals(-1, capped.smallestFailing(), "the knee is above what the client may try");
        assertThrows(IllegalStateException.class, () -> new KneeSearch(1, 10, 2, 1).record(2, true, ""));
        assertThrows(IllegalArgumentException.class, () -> new KneeSearch(10, 5, 2, 1));
    }

    @Test
    void overridesTargetTheFirstPhaseOfThatKind() {
        Scenario burst = ScenarioLoader.load(Path.of("../scenarios/backlog-only-burst.yaml"), List.of());
        assertEquals(300, FindLimit.startValue(burst, FindLimit.For.BURST));
        SetOverride o = FindLimit.override(burst, FindLimit.For.BURST, 512);
        assertEquals("load[0].burst=512", o.path() + "=" + o.value());
        assertEquals(new LoadPhase.Burst(512), ScenarioLoader.load(Path.of("../scenarios/backlog-only-burst.yaml"), List.of(o)).plan().phases().get(0));
        Scenario rate = ScenarioLoader.load(Path.of("../scenarios/arrival-rate-overload.yaml"), List.of());
        SetOverride r = FindLimit.override(rate, FindLimit.For.RATE, 40);
        assertEquals(40.0, ((LoadPhase.Rate) ScenarioLoader.load(Path.of("../scenarios/arrival-rate-overload.yaml"), List.of(r))
                .plan().phases().get(0)).perSecond());
        assertEquals("--for rate: scenario 'backlog-only-burst' has no rate phase to vary",
                assertThrows(IllegalArgumentException.class, () -> FindLimit.override(burst, FindLimit.For.RATE, 1)).getMessage());
        assertEquals(FindLimit.For.HOLD, FindLimit.For.parse("hold"));
        assertThrows(IllegalArgumentException.class, () -> FindLimit.For.parse("ramp"));
    }
}
