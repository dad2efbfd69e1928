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
public record Scenario(String name, String description, RunPlan plan, List<Expectation> expectations, LabTarget lab) {
    public Scenario {
        Objects.requireNonNull(name);
        Objects.requireNonNull(description);
        Objects.requireNonNull(plan);
        expectations = List.copyOf(expectations);
    }

    /**
     * What the scenario asked for, for run.json's inputs: name, description, the expectations as written,
     * the lab's sysctls. (The run plan itself is recorded by the run executor.)
     */
    public java.util.Map<String, Object> inputsJson() {
        java.util.Map<String, Object> j = new java.util.LinkedHashMap<>();
        j.put("scenario", name);
        j.put("description", description);
        j.put("expect", expectations.stream().map(Expectation::text).toList());
        if (lab != null) {
            java.util.Map<String, Object> l = new java.util.LinkedHashMap<>();
            l.put("kind", lab.kind().yamlName());
            l.put("server_sysctls", lab.serverSysctls());
            l.put("client_sysctls", lab.clientSysctls());
            j.put("lab", l);
        }
        return j;
    }

    /** Whether running it needs the namespace lab (root, and the lab's code). */
    public boolean needsLab() {
        return lab != null;
    }
}
