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

    /** The sweep's plan and one scenario per cell, in the plan's order. */
    private record Cells(SweepPlan plan, List<Scenario> scenarios) {
        String name() {
            return scenarios.get(0).name();
        }
    }

    /** @param first observers before the prediction in every cell (the kernel evidence) */
    int call(EmbeddedTargetStarter starter, java.util.function.Supplier<List<RunObserver>> first, PrintStream o, PrintStream e) {
        Cells cells;
        try {
            options.check();
            cells = readCells(e);
        } catch (ScenarioException ex) {
            ex.lines().forEach(e::println);
            e.println(invalid(ex.errors().size()));
            return ExitCodes.USAGE;
        } catch (IllegalArgumentException ex) {
            e.println("conlimit sweep: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        if (cells == null) {
            return ExitCodes.USAGE;
        }
        if (cells.scenarios().stream().anyMatch(Scenario::needsLab)) {
            e.println("conlimit sweep: " + cells.name() + ": " + ScenarioRunner.LAB_NEEDED);
            return ExitCodes.USAGE;
        }
        Path folder;
        try {
            folder = SeriesFolder.create(options.results, options.out, "sweep", cells.name(), JSON);
        } catch (IOException ex) {
            e.println("conlimit sweep: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode json = header(mapper, cells);
        SweepTable table = new SweepTable();
        int code = runCells(new ScenarioRunner(starter, first), cells, folder, table, json.putArray("cells"), o, e);
        o.println();
        o.println("sweep of " + cells.plan().size() + " cells (" + cells.name() + "):");
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
        return code;
    }

    private String invalid(int errors) {
        return file + ": invalid (" + errors + (errors == 1 ? " error" : " errors") + "); nothing was run";
    }

    /**
     * The --set and --vary arguments, then the scenario once per cell; null when a cell is invalid (every cell's
     * errors printed).
     * @throws ScenarioException when --set or --vary is invalid (both checked)
     */
    private Cells readCells(PrintStream e) {
        List<ScenarioError> errors = new ArrayList<>();
        List<SetOverride> sets = List.of();
        SweepPlan plan = null;
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
        List<Scenario> cells = new ArrayList<>();
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
            e.println(invalid(errors.size()));
            return null;
        }
        return new Cells(plan, cells);
    }

    /** sweep.json without its cells: the scenario, the file, the --set and --vary arguments. */
    private ObjectNode header(ObjectMapper mapper, Cells cells) {
        ObjectNode json = mapper.createObjectNode();
        json.put("scenario", cells.name());
        json.put("file", file.toString());
        json.set("set", mapper.valueToTree(options.sets));
        ArrayNode vj = json.putArray("vary");
        cells.plan().varies().forEach(v -> vj.addObject().put("path", v.path()).set("values", mapper.valueToTree(v.values())));
        return json;
    }

    /** Runs every cell into its folder, adding its row to {@code table} and {@code cj}; the sweep's exit code. */
    private int runCells(ScenarioRunner runner, Cells cells, Path folder, SweepTable table, ArrayNode cj, PrintStream o, PrintStream e) {
        boolean failed = false;
        boolean incomplete = false;
        for (SweepPlan.Cell cell : cells.plan().cells()) {
            Scenario s = cells.scenarios().get(cell.index());
            o.println("== cell " + (cell.index() + 1) + "/" + cells.plan().size() + ": " + cell.label());
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
