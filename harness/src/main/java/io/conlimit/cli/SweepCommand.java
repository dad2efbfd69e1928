package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.run.EmbeddedTargetStarter;
import io.conlimit.run.RunObserver;
import io.conlimit.run.ScenarioRunner;
import io.conlimit.run.SeriesFolder;
import io.conlimit.scenario.Scenario;
import io.conlimit.scenario.ScenarioError;
import io.conlimit.scenario.ScenarioException;
import io.conlimit.scenario.ScenarioLoader;
import io.conlimit.scenario.SetOverride;
import io.conlimit.scenario.SweepPlan;
import io.conlimit.theory.SweepTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code conlimit sweep FILE --vary PATH=V1,V2 [--vary ...] [--set ...]}: one fresh run per cell, one table. */
@Command(name = "sweep",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = {"Runs a scenario once per combination of the --vary values (the first --vary changing slowest), "
                + "each cell a complete run against a fresh server with its own prediction and expectations, then prints "
                + "one table of predicted against measured per cell and writes it as sweep.csv and sweep.json into "
                + "results/<UTC time>-sweep-<name>/ (each cell's run folder inside).",
                "Every cell is validated before anything runs.",
                "Exit codes: 0 every cell's expectations hold, 1 an expectation failed in some cell, 2 usage or an invalid "
                        + "scenario/cell, 3 a cell could not complete (the other cells still run)."})
public final class SweepCommand implements Callable<Integer> {
    static final String CSV = "sweep.csv";
    static final String JSON = "sweep.json";

    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario YAML file")
    Path file;

    @Option(names = "--vary", paramLabel = "PATH=V1,V2,...", required = true,
            description = "A value to vary, e.g. server.backlog=8,128,4096 (repeatable: the matrix of all combinations).")
    List<String> varies = new ArrayList<>();

    @Mixin
    SeriesOptions options = new SeriesOptions();

    @Mixin
    LoadConsentOption loadConsent = new LoadConsentOption();

    @Override
    public Integer call() {
        return call(EmbeddedTargetStarter.standard(), () -> List.of(loadConsent.observer(), new io.conlimit.run.EvidenceObserver(null, null)), System.out, System.err);
    }

    /** @param first observers before the prediction in every cell (the kernel evidence) */
    int call(EmbeddedTargetStarter starter, java.util.function.Supplier<List<RunObserver>> first, PrintStream o, PrintStream e) {
        List<SetOverride> sets;
        SweepPlan plan;
        List<Scenario> cells = new ArrayList<>();
        try {
            options.check();
            List<ScenarioError> errors = new ArrayList<>();
            sets = List.of();
            plan = null;
            try {
                sets = SetOverride.parseAll(options.sets);
            } catch (ScenarioException ex) {
                errors.addAll(ex.errors());
            }
            try {
                plan = SweepPlan.parse(varies);
            } catch (ScenarioException ex) {
                errors.addAll(ex.errors());
            }
            if (!errors.isEmpty()) {
                throw new ScenarioException(errors);
            }
            for (SweepPlan.Cell cell : plan.cells()) {
                List<SetOverride> all = new ArrayList<>(sets);
                all.addAll(cell.overrides());
                try {
                    cells.add(ScenarioLoader.load(file, all));
                } catch (ScenarioException ex) {
                    e.println("sweep cell " + cell.label() + ":");
                    ex.lines().forEach(l -> e.println("  " + l));
                    errors.addAll(ex.errors());
                }
            }
            if (!errors.isEmpty()) {
                e.println(file + ": invalid (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + "); nothing was run");
                return ExitCodes.USAGE;
            }
        } catch (ScenarioException ex) {
            ex.lines().forEach(e::println);
            e.println(file + ": invalid (" + ex.errors().size() + (ex.errors().size() == 1 ? " error" : " errors") + "); nothing was run");
            return ExitCodes.USAGE;
        } catch (IllegalArgumentException ex) {
            e.println("conlimit sweep: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        if (cells.stream().anyMatch(Scenario::needsLab)) {
            e.println("conlimit sweep: " + cells.get(0).name() + ": " + ScenarioRunner.LAB_NEEDED);
            return ExitCodes.USAGE;
        }
        Path folder;
        try {
            folder = SeriesFolder.create(options.results, options.out, "sweep", cells.get(0).name(), JSON);
        } catch (IOException ex) {
            e.println("conlimit sweep: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        ScenarioRunner runner = new ScenarioRunner(starter, first);
        SweepTable table = new SweepTable();
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode json = mapper.createObjectNode();
        json.put("scenario", cells.get(0).name());
        json.put("file", file.toString());
        json.set("set", mapper.valueToTree(options.sets));
        ArrayNode vj = json.putArray("vary");
        plan.varies().forEach(v -> vj.addObject().put("path", v.path()).set("values", mapper.valueToTree(v.values())));
        ArrayNode cj = json.putArray("cells");
        boolean failed = false;
        boolean incomplete = false;
        for (SweepPlan.Cell cell : plan.cells()) {
            Scenario s = cells.get(cell.index());
            o.println("== cell " + (cell.index() + 1) + "/" + plan.size() + ": " + cell.label());
            Path runDir = folder.resolve(SeriesOptions.runDirName(cell.index() + 1, cell.label()));
            List<String> flags = new ArrayList<>(List.of("sweep", file.toString()));
            cell.overrides().forEach(ov -> flags.addAll(List.of("--set", ov.path() + "=" + ov.value())));
            ScenarioRunner.Result r = runner.run(s, options.settings(runDir, flags, o, e));
            ReportStep.write(ReportStep.ran(runDir) ? runDir : null, !options.noReport, o, e);
            ObjectNode c = cj.addObject();
            c.put("index", cell.index());
            c.put("label", cell.label());
            ObjectNode ov = c.putObject("overrides");
            cell.overrides().forEach(x -> ov.put(x.path(), x.value()));
            c.put("exit_code", r.exitCode());
            c.put("folder", folder.relativize(runDir).toString());
            if (r.completed() && r.comparison() != null) {
                table.add(cell.label(), r.comparison(), r.summary());
                copy(r.summary(), c, "limit", "prediction", "outcomes", "connect_ms", "syn_retransmits", "held_max", "expectations");
            } else {
                table.addFailed(cell.label(), "exit " + r.exitCode());
            }
            failed |= r.exitCode() == ExitCodes.EXPECTATION_FAILED;
            incomplete |= r.exitCode() == ExitCodes.RUN_INCOMPLETE || !r.completed();
        }
        o.println();
        o.println("sweep of " + plan.size() + " cells (" + cells.get(0).name() + "):");
        o.print(table.render());
        try {
            Files.writeString(folder.resolve(CSV), table.csv(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve(JSON), mapper.writeValueAsString(json) + "\n", StandardCharsets.UTF_8);
        } catch (IOException ex) {
            e.println("conlimit sweep: could not write the sweep files: " + ex.getMessage());
            return ExitCodes.RUN_INCOMPLETE;
        }
        o.println("sweep folder " + folder);
        ReportStep.write(folder, !options.noReport, o, e);
        return incomplete ? ExitCodes.RUN_INCOMPLETE : failed ? ExitCodes.EXPECTATION_FAILED : ExitCodes.OK;
    }

    static void copy(JsonNode from, ObjectNode to, String... keys) {
        for (String k : keys) {
            if (from.has(k)) {
                to.set(k, from.get(k).deepCopy());
            }
        }
    }
}
