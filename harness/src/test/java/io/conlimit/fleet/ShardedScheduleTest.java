package io.conlimit.fleet;

import io.conlimit.plan.LoadPhase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shards' intended start times interleave exactly into the one machine's schedule (as k6's execution segments). */
class ShardedScheduleTest {
    static Stream<LoadPhase> shapes() {
        return Stream.of(new LoadPhase.Rate(1000, Duration.ofSeconds(1), false),
                new LoadPhase.Rate(777, Duration.ofMillis(1300), true),
                new LoadPhase.Ramp(100, 3000, Duration.ofSeconds(2), 0),
                new LoadPhase.Ramp(3000, 100, Duration.ofSeconds(2), 0),
                new LoadPhase.Ramp(0, 900, Duration.ofSeconds(3), 4));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void everyNthArrivalOfTheOneSchedule(LoadPhase shape) {
        List<Long> whole = ArrivalScheduleTest.all(ArrivalSchedule.of(shape, 42));
        assertTrue(whole.size() > 100, "a schedule worth splitting: " + whole.size());
        for (int n : new int[]{1, 3, 4, 7}) {
            List<List<Long>> shards = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                shards.add(ArrivalScheduleTest.all(ArrivalSchedule.of(shape, 42).shard(i, n)));
            }
            // exact interleaving: arrival k of the one schedule is arrival k / n of shard k % n, nothing else anywhere
            int total = 0;
            for (int i = 0; i < n; i++) {
                total += shards.get(i).size();
            }
            assertEquals(whole.size(), total, n + " shards: arrivals in all");
            for (int k = 0; k < whole.size(); k++) {
                assertEquals(whole.get(k), shards.get(k % n).get(k / n), n + " shards, arrival " + k);
            }
            for (int i = 0; i < n; i++) {
                int expected = whole.size() / n + (i < whole.size() % n ? 1 : 0);
                assertEquals(expected, shards.get(i).size(), "shard " + i + "/" + n + " gets its equal share");
            }
        }
    }
}
