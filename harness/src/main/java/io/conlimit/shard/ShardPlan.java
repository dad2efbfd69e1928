package io.conlimit.shard;

import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.RunPlan;

import java.util.ArrayList;
import java.util.List;

/**
 * A shard's part of a plan: a burst of M becomes this shard's share of M, a hold probe's max-held its share
 * (each shard probes with its own connections; together they hold what the server holds). Rate and ramp phases
 * stay whole here: the fleet keeps every N-th arrival of their one schedule ({@code Fleet#shard}). Pauses and
 * settles are the same on every shard.
 */
public final class ShardPlan {
    private ShardPlan() {
    }

    /** @throws IllegalArgumentException when a burst or max-held is smaller than the number of shards */
    public static RunPlan split(RunPlan plan, Shard shard) {
        if (shard.whole()) {
            return plan;
        }
        List<LoadPhase> out = new ArrayList<>();
        for (int i = 0; i < plan.phases().size(); i++) {
            LoadPhase p = plan.phases().get(i);
            if (p instanceof LoadPhase.Burst b) {
                if (b.connections() < shard.count()) {
                    throw new IllegalArgumentException("phase " + i + ": a burst of " + b.connections() + " cannot be split into "
                            + shard.count() + " shards (each needs at least one connection): use fewer shards or a bigger burst");
                }
                out.add(new LoadPhase.Burst((int) shard.share(b.connections())));
            } else if (p instanceof LoadPhase.HoldProbe h) {
                if (h.maxHeld() < shard.count()) {
                    throw new IllegalArgumentException("phase " + i + ": a hold probe's max-held " + h.maxHeld()
                            + " cannot be split into " + shard.count() + " shards");
                }
                out.add(new LoadPhase.HoldProbe(h.gap(), (int) shard.share(h.maxHeld()), h.stopAfterFailures()));
            } else {
                out.add(p);
            }
        }
        return new RunPlan(plan.name(), plan.target(), plan.client(), out);
    }
}
