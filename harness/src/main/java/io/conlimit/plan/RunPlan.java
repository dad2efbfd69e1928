package io.conlimit.plan;

import java.util.List;

/**
 * Everything one run does, immutable: built from CLI flags ({@code conlimit run --burst ...}) or from a
 * scenario file. The run executor takes nothing else.
 *
 * @param name   used in the results folder name
 * @param target where the load goes
 * @param client how each connection behaves
 * @param phases the load, in order
 */
public record RunPlan(String name, TargetSpec target, ClientOptions client, List<LoadPhase> phases) {
    public RunPlan {
        phases = List.copyOf(phases);
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one load phase");
        }
    }
}
