package io.conlimit.cli;

import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import io.conlimit.scenario.Scenario;
import io.conlimit.scenario.ScenarioLoader;
import io.conlimit.scenario.SetOverride;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code conlimit run} runs, as scenarios: the FILE (with --set, and --target replacing its target), the
 * demonstration (no arguments), or the load flags' plan wrapped as a scenario without expectations.
 */
final class RunScenarios {
    private RunScenarios() {
    }

    /**
     * @throws io.conlimit.scenario.ScenarioException for an invalid file or --set (every error)
     * @throws IllegalArgumentException               naming a flag that is wrong or does not fit
     */
    static List<Scenario> resolve(Path file, List<String> sets, RunFlags flags) {
        if (file != null) {
            List<String> misplaced = loadAndClientFlags(flags);
            if (!misplaced.isEmpty()) {
                throw new IllegalArgumentException(String.join(", ", misplaced) + ": with a scenario FILE the load and the client "
                        + "come from the file; change them with --set, e.g. --set load[0].burst=500 or --set client.connect-timeout=5s");
            }
            List<SetOverride> overrides = new ArrayList<>(SetOverride.parseAll(sets));
            if (flags.name != null) {
                overrides.add(new SetOverride("--name", "name", flags.name));
            }
            Scenario s = ScenarioLoader.load(file, overrides);
            if (flags.target() != null) {
                s = retarget(s, FlagParsers.target(flags.target()));
            }
            return List.of(s);
        }
        if (!sets.isEmpty()) {
            throw new IllegalArgumentException("--set changes a scenario file: give one, e.g. conlimit run scenarios/quickstart.yaml --set server.backlog=32");
        }
        List<RunPlan> plans = flags.toPlans(); // checks the flag combinations
        if (!flags.hasLoad()) {
            return Demo.scenarios();
        }
        return plans.stream().map(p -> new Scenario(p.name(), "", p, List.of(), null)).toList();
    }

    /**
     * The server of the FILE's {@code target.lab} (with the --set and --name overrides), or null when the file has
     * no lab. A lab's client run ({@code run FILE --target ... --server-netns NS}) predicts with it.
     */
    static io.conlimit.target.ServerConfig labServer(Path file, List<String> sets, String name) {
        if (file == null) {
            return null;
        }
        List<SetOverride> overrides = new ArrayList<>(SetOverride.parseAll(sets));
        if (name != null) {
            overrides.add(new SetOverride("--name", "name", name));
        }
        Scenario s = ScenarioLoader.load(file, overrides);
        return s.lab() == null ? null : s.lab().server();
    }

    /** The scenario with its target replaced by an external server (a lab target is replaced too). */
    static Scenario retarget(Scenario s, TargetSpec.External target) {
        RunPlan p = s.plan();
        return new Scenario(s.name(), s.description(), new RunPlan(p.name(), target, p.client(), p.phases()), s.expectations(), null);
    }

    /** The load and client flags given (everything in {@link RunFlags#given()} but --target and --name). */
    static List<String> loadAndClientFlags(RunFlags flags) {
        List<String> out = new ArrayList<>();
        for (String g : flags.given()) {
            if (g.startsWith("--") && !g.equals("--target") && !g.equals("--name")) {
                out.add(g);
            }
        }
        return out;
    }
}
