package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.expect.Numbers;
import io.conlimit.fleet.Outcome;
import io.conlimit.run.EmbeddedTargetStarter;
import io.conlimit.run.RunObserver;
import io.conlimit.run.ScenarioRunner;
import io.conlimit.run.SeriesFolder;
import io.conlimit.scenario.FindLimit;
import io.conlimit.scenario.KneeSearch;
import io.conlimit.scenario.Scenario;
import io.conlimit.scenario.ScenarioException;
import io.conlimit.scenario.ScenarioLoader;
import io.conlimit.scenario.SetOverride;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code conlimit find-limit FILE --for burst|rate|hold}: the largest burst N or rate lambda with no failures,
 * found by a {@link KneeSearch} over ordinary scenario runs (a fresh server each); {@code --for hold} is one hold probe.
 */
@Command(name = "find-limit",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        sortOptions = false,
        description = {"Finds the largest burst N (--for burst) or arrival rate lambda (--for rate) a target takes with no "
                + "failures: every outcome but ok is 0 (and, with --p99, connect p99 under that bound). It varies the "
                + "scenario's first phase of that kind: starting from the scenario's own value it doubles while runs pass, "
                + "then bisects between the largest passing and the smallest failing value. Each value is a complete run "
                + "against a fresh server. --for hold needs no search: one hold probe measures the concurrent limit (held_max).",
                "Prints the knee and every run as evidence (value, ok, failures, p99) and writes find-limit.json into "
                        + "results/<UTC time>-find-limit-<name>/ (each run's folder inside). The scenario's expectations "
                        + "are not checked here.",
                "Exit codes: 0 the search finished (whatever it found), 2 usage or an invalid scenario, 3 a run could not complete."})
public final class FindLimitCommand implements Callable<Integer> {
    static final String JSON = "find-limit.json";

    @Parameters(index = "0", paramLabel = "FILE", description = "the scenario YAML file")
    Path file;

    @Option(names = "--for", paramLabel = "burst|rate|hold", required = true, description = "What to search for.")
    String what;

    @Option(names = "--max", paramLabel = "N", description = "Never try above N (default 10000; held bursts count against the open-file limit).")
    Long max;

    @Option(names = "--p99", paramLabel = "D", description = "A run also fails when connect p99 is not below D, e.g. 500ms.")
    String p99;

    @Option(names = "--max-runs", paramLabel = "N", defaultValue = "12", description = "Stop the search after N runs (default ${DEFAULT-VALUE}).")
    int maxRuns;

    @Option(names = "--resolution", paramLabel = "N", defaultValue = "1",
            description = "Stop when the largest passing and smallest failing value are N apart or closer (default ${DEFAULT-VALUE}).")
    long resolution;

    @Mixin
    SeriesOptions options = new SeriesOptions();

    @Mixin
    LoadConsentOption loadConsent = new LoadConsentOption();

    /** One run of the search. */
    record Step(long value, boolean passed, long succeeded, long failures, Double p99Ms, int exitCode, String folder, String why) {
    }

    @Override
    public Integer call() {
        return call(EmbeddedTargetStarter.standard(), () -> List.of(loadConsent.observer(), new io.conlimit.run.EvidenceObserver(null, null)), System.out, System.err);
    }

    int call(EmbeddedTargetStarter starter, Supplier<List<RunObserver>> first, PrintStream o, PrintStream e) {
        FindLimit.For target;
        Scenario base;
        List<SetOverride> sets;
        Duration bound;
        try {
            options.check();
            target = FindLimit.For.parse(what);
            bound = p99 == null ? null : FlagParsers.duration("--p99", p99);
            checkBounds();
            sets = SetOverride.parseAll(options.sets);
            base = ScenarioLoader.load(file, sets);
            FindLimit.phaseIndex(base, target); // the scenario has such a phase
        } catch (ScenarioException ex) {
            ex.lines().forEach(e::println);
            e.println(file + ": invalid (" + ex.errors().size() + (ex.errors().size() == 1 ? " error" : " errors") + "); nothing was run");
            return ExitCodes.USAGE;
        } catch (IllegalArgumentException ex) {
            e.println("conlimit find-limit: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        if (base.needsLab()) {
            e.println("conlimit find-limit: " + base.name() + ": " + ScenarioRunner.LAB_NEEDED);
            return ExitCodes.USAGE;
        }
        Path folder;
        try {
            folder = SeriesFolder.create(options.results, options.out, "find-limit", base.name(), JSON);
        } catch (IOException ex) {
            e.println("conlimit find-limit: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        ScenarioRunner runner = new ScenarioRunner(starter, first);
        return target == FindLimit.For.HOLD
                ? holdProbe(runner, base, folder, bound, o, e)
                : search(runner, base, sets, target, folder, bound, o, e);
    }

    /** @throws IllegalArgumentException naming the flag out of its range */
    private void checkBounds() {
        if (maxRuns < 1 || maxRuns > 100) {
            throw new IllegalArgumentException("--max-runs must be 1..100, got " + maxRuns);
        }
        if (resolution < 1) {
            throw new IllegalArgumentException("--resolution must be at least 1, got " + resolution);
        }
        if (max != null && max < 1) {
            throw new IllegalArgumentException("--max must be at least 1, got " + max);
        }
    }

    /** --for hold: one run of the scenario's hold probe; its held_max is the limit. */
    private int holdProbe(ScenarioRunner runner, Scenario base, Path folder, Duration bound, PrintStream o, PrintStream e) {
        FindLimit.For target = FindLimit.For.HOLD;
        List<Step> steps = new ArrayList<>();
        Path runDir = folder.resolve(SeriesOptions.runDirName(1, "hold-probe"));
        ScenarioRunner.Result r = runner.run(base.plan(), List.of(), options.settings(runDir, flags(), o, e));
        ReportStep.write(ReportStep.ran(runDir) ? runDir : null, !options.noReport, o, e);
        if (!r.completed()) {
            return finish(o, e, folder, target, bound, steps, null, null, "the hold probe could not complete", r.exitCode());
        }
        Double held = number(r.summary(), "held_max");
        Step s = step(held == null ? -1 : Math.round(held), r, bound, folder, runDir);
        steps.add(new Step(s.value(), true, s.succeeded(), s.failures(), s.p99Ms(), s.exitCode(), s.folder(), "held_max"));
        Long knee = held == null ? null : Math.round(held);
        String verdict = knee == null ? "the hold probe reported no held_max" : "concurrent limit (held_max): " + knee;
        return finish(o, e, folder, target, bound, steps, knee, null, verdict, ExitCodes.OK);
    }

    /** --for burst|rate: a knee search, one run per value tried, until the resolution or --max-runs. */
    private int search(ScenarioRunner runner, Scenario base, List<SetOverride> sets, FindLimit.For target, Path folder,
                       Duration bound, PrintStream o, PrintStream e) {
        String name = target.name().toLowerCase(Locale.ROOT);
        List<Step> steps = new ArrayList<>();
        long start = FindLimit.startValue(base, target);
        long limit = max != null ? max : 10_000;
        KneeSearch search = new KneeSearch(Math.min(start, limit), limit, 2.0, resolution);
        while (!search.done() && steps.size() < maxRuns) {
            OptionalLong next = search.next();
            long v = next.getAsLong();
            o.println("== " + name + " " + v + " (run " + (steps.size() + 1) + ", at most " + maxRuns + ")");
            List<SetOverride> all = new ArrayList<>(sets);
            all.add(FindLimit.override(base, target, v));
            Scenario s;
            try {
                s = ScenarioLoader.load(file, all);
            } catch (ScenarioException ex) {
                ex.lines().forEach(e::println);
                return ExitCodes.USAGE;
            }
            Path runDir = folder.resolve(SeriesOptions.runDirName(steps.size() + 1, name + "-" + v));
            ScenarioRunner.Result r = runner.run(s.plan(), List.of(), options.settings(runDir, flags(), o, e));
            ReportStep.write(ReportStep.ran(runDir) ? runDir : null, !options.noReport, o, e);
            if (!r.completed()) {
                int code = r.exitCode() == ExitCodes.USAGE ? ExitCodes.USAGE : ExitCodes.RUN_INCOMPLETE;
                steps.add(new Step(v, false, 0, 0, null, r.exitCode(), folder.relativize(runDir).toString(), "the run could not complete"));
                return finish(o, e, folder, target, bound, steps, null, null, "the run for " + v + " could not complete", code);
            }
            Step st = step(v, r, bound, folder, runDir);
            steps.add(st);
            search.record(v, st.passed(), st.why());
        }
        Long knee = search.largestPassing() < 0 ? null : search.largestPassing();
        Long smallestFailing = search.smallestFailing() < 0 ? null : search.smallestFailing();
        return finish(o, e, folder, target, bound, steps, knee, smallestFailing, verdict(search, target, knee, smallestFailing),
                ExitCodes.OK);
    }

    private static String verdict(KneeSearch search, FindLimit.For target, Long knee, Long smallestFailing) {
        String name = target.name().toLowerCase(Locale.ROOT);
        String unit = target == FindLimit.For.RATE ? "/s" : "";
        if (knee == null) {
            return "no " + name + " passed: even " + smallestFailing + unit + " had failures";
        }
        if (smallestFailing == null) {
            return "every " + name + " tried passed, up to " + knee + unit + (search.done() ? " (--max)" : " (--max-runs reached)");
        }
        return "largest " + name + " with no failures: " + knee + unit + " (smallest failing: " + smallestFailing + unit + ")"
                + (search.done() ? "" : "; --max-runs reached before the resolution");
    }

    private List<String> flags() {
        List<String> f = new ArrayList<>(List.of("find-limit", file.toString(), "--for", what));
        options.sets.forEach(s -> f.addAll(List.of("--set", s)));
        return f;
    }

    /**
     * A finished run judged: passed = every outcome but the probe's success is 0, and connect p99 below the bound when
     * given. The success counted is ok (served) for a probe that waits for the server, connected for the connect probe.
     */
    static Step step(long value, ScenarioRunner.Result r, Duration bound, Path folder, Path runDir) {
        JsonNode s = r.summary();
        long succeeded = Math.round(orZero(number(s, "outcomes", Outcome.OK.key())) + orZero(number(s, "outcomes", Outcome.CONNECTED.key())));
        long failures = 0;
        List<String> why = new ArrayList<>();
        JsonNode outcomes = s.path("outcomes");
        for (var it = outcomes.fields(); it.hasNext(); ) {
            var f = it.next();
            if (!Outcome.fromKey(f.getKey()).probeSucceeded() && f.getValue().asLong() > 0) {
                failures += f.getValue().asLong();
                why.add(f.getKey() + " " + f.getValue().asLong()
                        + (f.getKey().equals(Outcome.CLIENT_LIMITED.key()) ? " (the client's own limit, not the server's)" : ""));
            }
        }
        Double p99 = number(s, "connect_ms", "p99");
        boolean p99Ok = bound == null || (p99 != null && p99 < bound.toNanos() / 1e6);
        if (!p99Ok) {
            why.add("connect p99 " + (p99 == null ? "n/a" : Numbers.format(p99) + " ms") + " not below " + Numbers.format(bound.toNanos() / 1e6) + " ms");
        }
        return new Step(value, failures == 0 && p99Ok, succeeded, failures, p99, r.exitCode(), folder.relativize(runDir).toString(),
                why.isEmpty() ? "no failures" : String.join(", ", why));
    }

    private int finish(PrintStream o, PrintStream e, Path folder, FindLimit.For target, Duration bound, List<Step> steps,
                       Long knee, Long smallestFailing, String verdict, int code) {
        String name = target.name().toLowerCase(Locale.ROOT);
        o.println();
        o.println("find-limit --for " + name + ": " + verdict);
        o.print(table(target, steps));
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode j = mapper.createObjectNode();
        j.put("scenario", file.toString());
        j.put("for", name);
        j.set("set", mapper.valueToTree(options.sets));
        if (max == null) {
            j.putNull("max");
        } else {
            j.put("max", max);
        }
        if (bound == null) {
            j.putNull("p99_bound_ms");
        } else {
            j.put("p99_bound_ms", bound.toNanos() / 1e6);
        }
        j.put("max_runs", maxRuns);
        if (knee == null) {
            j.putNull("knee");
        } else {
            j.put("knee", knee);
        }
        if (smallestFailing == null) {
            j.putNull("smallest_failing");
        } else {
            j.put("smallest_failing", smallestFailing);
        }
        j.put("verdict", verdict);
        j.put("complete", code == ExitCodes.OK);
        ArrayNode runs = j.putArray("runs");
        for (Step s : steps) {
            ObjectNode r = runs.addObject();
            r.put("value", s.value());
            r.put("passed", s.passed());
            r.put("succeeded", s.succeeded());
            r.put("failures", s.failures());
            if (s.p99Ms() == null) {
                r.putNull("connect_p99_ms");
            } else {
                r.put("connect_p99_ms", s.p99Ms());
            }
            r.put("why", s.why());
            r.put("exit_code", s.exitCode());
            r.put("folder", s.folder());
        }
        try {
            Files.writeString(folder.resolve(JSON), mapper.writeValueAsString(j) + "\n", StandardCharsets.UTF_8);
        } catch (IOException ex) {
            e.println("conlimit find-limit: could not write " + JSON + ": " + ex.getMessage());
            return ExitCodes.RUN_INCOMPLETE;
        }
        o.println("find-limit folder " + folder);
        ReportStep.write(folder, !options.noReport, o, e);
        return code;
    }

    static String table(FindLimit.For target, List<Step> steps) {
        String[] head = {target == FindLimit.For.HOLD ? "held" : target.name().toLowerCase(Locale.ROOT), "passed", "succeeded", "failures", "connect p99 ms", "why"};
        List<String[]> rows = new ArrayList<>();
        for (Step s : steps) {
            rows.add(new String[]{Long.toString(s.value()), s.passed() ? "yes" : "no", Long.toString(s.succeeded()), Long.toString(s.failures()),
                    s.p99Ms() == null ? "n/a" : Numbers.format(s.p99Ms()), s.why()});
        }
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, w, head);
        String[] dashes = new String[head.length];
        for (int i = 0; i < head.length; i++) {
            dashes[i] = "-".repeat(w[i]);
        }
        line(b, w, dashes);
        rows.forEach(r -> line(b, w, r));
        return b.toString();
    }

    private static void line(StringBuilder b, int[] w, String[] cells) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            l.append(i == 0 ? "" : " | ").append(String.format(i == cells.length - 1 ? "%-" + w[i] + "s" : "%" + w[i] + "s", cells[i]));
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }

    static Double number(JsonNode root, String... path) {
        return io.conlimit.theory.Comparison.number(root, path);
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }
}
