package io.conlimit.cli;

import io.conlimit.plan.TargetSpec;
import io.conlimit.run.EmbeddedTargetStarter;
import io.conlimit.run.RunObserver;
import io.conlimit.run.RunSettings;
import io.conlimit.run.ScenarioRunner;
import io.conlimit.run.ShardObserver;
import io.conlimit.scenario.Scenario;
import io.conlimit.shard.Shard;
import io.conlimit.shard.ShardPlan;
import io.conlimit.target.ServerConfig;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code run --shard I/N} and {@code run --start-at}: one shard of a fleet, its start held until the common instant. */
final class ShardRuns {
    private ShardRuns() {
    }

    /** @throws IllegalArgumentException when the runs cannot be sharded (a lab scenario, an embedded target, too small a load) */
    static void check(List<Scenario> runs, Shard shard) {
        for (Scenario s : runs) {
            if (s.needsLab()) {
                throw new IllegalArgumentException("--shard and --start-at do not apply to a lab scenario: run each shard with "
                        + "--target HOST:PORT (docs/fleet.md)");
            }
            if (shard != null && !shard.whole() && s.plan().target() instanceof TargetSpec.Embedded) {
                throw new IllegalArgumentException("--shard " + shard + ": the shards load one server together, so give --target "
                        + "HOST:PORT (or a scenario whose target is external); an embedded target would be one server per shard");
            }
            if (shard != null) {
                ShardPlan.split(s.plan(), shard);
            }
        }
    }

    static ScenarioRunner.Result run(Scenario s, Shard shard, Instant startAt, RunCommand cmd, EmbeddedTargetStarter starter,
                                     RunSettings rs, ServerConfig knownServer) {
        Shard part = shard == null ? new Shard(0, 1) : shard;
        String agent = cmd.agentOption.agent;
        if (agent == null && s.plan().target() instanceof TargetSpec.External x) {
            agent = x.agent();
        }
        String token = agent == null ? null : AgentTokens.resolve(cmd.agentTokenOption.agentToken);
        ShardObserver observer = new ShardObserver(part, startAt, agent, token, s.plan(), s.expectations(), rs.lateThresholdNanos());
        ScenarioRunner runner = new ScenarioRunner(starter, () -> {
            List<RunObserver> list = new ArrayList<>(cmd.observers(s));
            list.add(observer);
            return list;
        });
        if (knownServer != null) {
            runner = runner.withKnownServer(knownServer);
        }
        runner = runner.withShard(part, observer::awaitStart);
        // a shard's expectations would judge its part by the whole load's numbers: conlimit merge checks them
        return runner.run(ShardPlan.split(s.plan(), part), part.whole() ? s.expectations() : List.of(), rs);
    }
}
