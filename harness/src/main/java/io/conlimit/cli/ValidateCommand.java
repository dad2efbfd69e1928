package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.scenario.Scenario;
import io.conlimit.scenario.ScenarioError;
import io.conlimit.scenario.ScenarioException;
import io.conlimit.scenario.ScenarioLoader;
import io.conlimit.scenario.SetOverride;
import io.conlimit.scenario.SweepPlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code conlimit validate FILE [--set path=value]... [--vary path=v1,v2]...}: checks a scenario; runs nothing. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = {"Checks a scenario file (and any --set/--vary) without running anything.",
                "Exit codes: 0 valid, 2 invalid (every error printed with file:line:column and the field's path)."})
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario YAML file")
    Path file;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "override one value before validation, e.g. target.embedded.backlog=4096, load[0].burst=2000 (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--vary", paramLabel = "PATH=V1,V2,...",
            description = "validate every cell of a sweep, e.g. server.backlog=8,128,4096 (repeatable)")
    List<String> varies = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<ScenarioError> errors = new ArrayList<>();
        List<SetOverride> overrides = List.of();
        SweepPlan sweep = null;
        try {
            overrides = SetOverride.parseAll(sets);
        } catch (ScenarioException e) {
            errors.addAll(e.errors());
        }
        if (!varies.isEmpty()) {
            try {
                sweep = SweepPlan.parse(varies);
            } catch (ScenarioException e) {
                errors.addAll(e.errors());
            }
        }
        Scenario scenario = null;
        if (errors.isEmpty()) {
            try {
                scenario = ScenarioLoader.load(file, overrides);
            } catch (ScenarioException e) {
                errors.addAll(e.errors());
            }
        }
        if (errors.isEmpty() && sweep != null) {
            for (SweepPlan.Cell cell : sweep.cells()) {
                List<SetOverride> all = new ArrayList<>(overrides);
                all.addAll(cell.overrides());
                try {
                    ScenarioLoader.load(file, all);
                } catch (ScenarioException e) {
                    err.println("sweep cell " + cell.label() + ":");
                    errors.addAll(e.errors());
                    e.lines().forEach(l -> err.println("  " + l));
                }
            }
            if (!errors.isEmpty()) {
                err.println(file + ": invalid (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + ")");
                err.flush();
                return ExitCodes.USAGE;
            }
        }
        if (!errors.isEmpty()) {
            errors.forEach(e -> err.println(e.format()));
            err.println(file + ": invalid (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + ")");
            err.flush();
            return ExitCodes.USAGE;
        }
        int phases = scenario.plan().phases().size();
        int expectations = scenario.expectations().size();
        out.println(file + ": valid (" + phases + (phases == 1 ? " phase, " : " phases, ") + expectations
                + (expectations == 1 ? " expectation)" : " expectations)"));
        if (scenario.needsLab()) {
            out.println(file + ": its target is a namespace lab (target.lab): running it needs root");
        }
        if (sweep != null) {
            out.println(file + ": sweep of " + sweep.size() + " cells, all valid: "
                    + String.join(" | ", sweep.cells().stream().map(SweepPlan.Cell::label).toList()));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
