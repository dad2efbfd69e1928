package io.conlimit.scenario;

import io.conlimit.expect.Expectation;
import io.conlimit.plan.RunPlan;

import java.util.List;
import java.util.Objects;

/**
 * A parsed, validated scenario file: the run it describes and what must hold afterwards. Immutable.
 *
 * @param name         the scenario's name (defaults to the file name without .yaml)
 * @param description  free text, "" when absent
 * @param plan         the run; for a lab target its target is the embedded server that runs inside the lab
 * @param expectations checked against summary.json after the run, in file order
 * @param lab          the isolated-kernel setup, or null when the target is not a lab
 */
public record Scenario(String name, String description, RunPlan plan, List<Expectation> expectations, LabSpec lab) {
    public Scenario {
        Objects.requireNonNull(name);
        Objects.requireNonNull(description);
        Objects.requireNonNull(plan);
        expectations = List.copyOf(expectations);
    }

    /** Whether running it needs the namespace lab (root, and the lab's code). */
    public boolean needsLab() {
        return lab != null;
    }
}
