package io.conlimit.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.shard.Shard;
import io.conlimit.util.ExitCodes;
import io.conlimit.expect.Expectation;
import io.conlimit.expect.ExpectationReport;
import io.conlimit.plan.RunPlan;
import io.conlimit.scenario.Scenario;
import io.conlimit.target.ServerConfig;
import io.conlimit.theory.Comparison;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One run with its explanation: a {@link RunExecutor} with, in this order, the observers that come first
 * (the kernel evidence), the {@link PredictionObserver} and the {@link ExpectationsObserver}. What
 * {@code run}, {@code run FILE}, {@code sweep} and {@code find-limit} all do once per run, each with fresh
 * observers and (for an embedded target) a fresh server.
 */
public final class ScenarioRunner {
    /**
     * Printed, with exit code 2, when a scenario whose target is a namespace lab reaches this runner (run FILE sends
     * those to io.conlimit.lab.LabRun instead; sweep and find-limit do not run them).
     */
    public static final String LAB_NEEDED = "this scenario needs the namespace lab (target.lab), which only `run FILE` starts";

    private final EmbeddedTargetStarter starter;
    private final Supplier<List<RunObserver>> first;
    private final ServerConfig knownServer;
    private final Shard shard;
    private final Runnable startGate;

    /**
     * @param starter starts embedded targets
     * @param first   observers to put before the prediction, fresh for each run (the kernel evidence); may return an empty list
     */
    public ScenarioRunner(EmbeddedTargetStarter starter, Supplier<List<RunObserver>> first) {
        this(starter, first, null, new Shard(0, 1), () -> { });
    }

    private ScenarioRunner(EmbeddedTargetStarter starter, Supplier<List<RunObserver>> first, ServerConfig knownServer,
                           Shard shard, Runnable startGate) {
        this.starter = starter;
        this.first = first;
        this.knownServer = knownServer;
        this.shard = shard;
        this.startGate = startGate;
    }

    /** The same runner, predicting with a known server behind an external target (a lab's: {@link PredictionObserver#knownServer}). */
    public ScenarioRunner withKnownServer(ServerConfig config) {
        return new ScenarioRunner(starter, first, config, shard, startGate);
    }

    /** The same runner, running the load as {@code shard} of a fleet, its first phase held by {@code startGate} (see {@link RunExecutor#withShard}). */
    public ScenarioRunner withShard(Shard shard, Runnable startGate) {
        return new ScenarioRunner(starter, first, knownServer, shard, startGate);
    }

    /** What one run gave: its exit code and, when it completed, its folder, annotated summary, comparison and verdicts. */
    public record Result(int exitCode, Path folder, ObjectNode summary, Comparison comparison, ExpectationReport expectations) {
        /** Whether the run completed and its summary was annotated. */
        public boolean completed() {
            return summary != null && exitCode != ExitCodes.RUN_INCOMPLETE && exitCode != ExitCodes.USAGE;
        }
    }

    /** Runs a scenario (exit 2 without running when it needs the lab). */
    public Result run(Scenario s, RunSettings settings) {
        if (s.needsLab()) {
            settings.err().println("conlimit: " + s.name() + ": " + LAB_NEEDED);
            return new Result(ExitCodes.USAGE, null, null, null, null);
        }
        return run(s.plan(), s.expectations(), settings);
    }

    /** Runs a plan, then explains it and checks the expectations (none for a plain flag run). */
    public Result run(RunPlan plan, List<Expectation> expectations, RunSettings settings) {
        PredictionObserver prediction = new PredictionObserver().knownServer(knownServer);
        ExpectationsObserver verdicts = new ExpectationsObserver(expectations);
        List<RunObserver> observers = new ArrayList<>(first.get());
        observers.add(new ClientLimitObserver());
        observers.add(prediction);
        observers.add(verdicts);
        int code = new RunExecutor(starter, settings, observers).withShard(shard, startGate).execute(plan);
        return new Result(code, prediction.folder().orElse(null), prediction.summary().orElse(null),
                prediction.comparison().orElse(null), verdicts.report().orElse(null));
    }
}
