package io.conlimit.shard;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardTest {
    @Test
    void aBurstIsSharedOutWithTheRemainderOnTheFirstShards() {
        long[] shares = new long[4];
        long sum = 0;
        for (int i = 0; i < 4; i++) {
            shares[i] = new Shard(i, 4).share(102);
            sum += shares[i];
        }
        assertEquals(List.of(26L, 26L, 25L, 25L), List.of(shares[0], shares[1], shares[2], shares[3]));
        assertEquals(102, sum);
    }

    @Test
    void parsesIAndNAndTheIndexedJobsEnvironment() {
        assertEquals(new Shard(2, 4), Shard.parse("2/4"));
        assertEquals(new Shard(3, 8), Shard.fromEnvironment(Map.of("JOB_COMPLETION_INDEX", "3", "CONLIMIT_SHARDS", "8")));
        assertNull(Shard.fromEnvironment(Map.of()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.fromEnvironment(Map.of("JOB_COMPLETION_INDEX", "3")))
                .getMessage().contains("CONLIMIT_SHARDS"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.parse("4/4")).getMessage().contains("0..3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shard.parse("two")).getMessage().contains("I/N"));
        assertThrows(IllegalArgumentException.class, () -> Shard.parse("0/0"));
    }

    @Test
    void thePlanSplitsBurstsAndHoldProbesAndKeepsTheRest() {
        RunPlan plan = new RunPlan("p", new TargetSpec.External("10.0.0.1", 80, null, null), ClientOptions.defaults(),
                List.of(new LoadPhase.Burst(4), new LoadPhase.Settle(Duration.ofSeconds(2)), new LoadPhase.Burst(101),
                        new LoadPhase.HoldProbe(Duration.ofMillis(10), 200, 3), new LoadPhase.Rate(100, Duration.ofSeconds(1), false)));
        RunPlan last = ShardPlan.split(plan, new Shard(3, 4));
        assertEquals(List.of(new LoadPhase.Burst(1), new LoadPhase.Settle(Duration.ofSeconds(2)), new LoadPhase.Burst(25),
                new LoadPhase.HoldProbe(Duration.ofMillis(10), 50, 3), new LoadPhase.Rate(100, Duration.ofSeconds(1), false)), last.phases());
        assertEquals(new LoadPhase.Burst(26), ShardPlan.split(plan, new Shard(0, 4)).phases().get(2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShardPlan.split(plan, new Shard(0, 5)))
                .getMessage().contains("a burst of 4 cannot be split into 5 shards"));
    }

    @Test
    void phasesSurviveTheirJson() {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (LoadPhase p : List.of(new LoadPhase.Burst(7), new LoadPhase.Rate(12.5, Duration.ofMillis(1500), true),
                new LoadPhase.Ramp(0, 50, Duration.ofSeconds(3), 3), new LoadPhase.HoldProbe(Duration.ofMillis(10), 9, 2),
                new LoadPhase.Pause(Duration.ofMillis(250)), new LoadPhase.Settle(Duration.ofSeconds(5)))) {
            assertEquals(p, PhaseCodec.fromJson(json.valueToTree(PhaseCodec.toJson(p))));
        }
    }
}
