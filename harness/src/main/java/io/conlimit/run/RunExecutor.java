package io.conlimit.run;

import io.conlimit.shard.Shard;
import io.conlimit.util.ExitCodes;
import io.conlimit.util.BuildVersion;
import io.conlimit.fleet.ClientSelfCheck;
import io.conlimit.fleet.Fleet;
import io.conlimit.fleet.FleetResult;
import io.conlimit.lab.PublishedPortCheck;
import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import io.conlimit.record.RecordingOptions;
import io.conlimit.record.RunRecording;
import io.conlimit.record.RunSummary;
import io.conlimit.target.TargetServer;
import io.conlimit.text.PlainErrors;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Executes one {@link RunPlan}: starts the embedded target when there is one, runs the client self-check,
 * records through {@link RunRecording}, drives the {@link Fleet} and writes the summary. Ctrl-C leaves the
 * results folder readable and marked incomplete.
 */
public final class RunExecutor {
    private final EmbeddedTargetStarter targets;
    private final RunSettings settings;
    private final List<RunObserver> observers;
    private final BiFunction<String, Integer, Optional<String>> portCheck;
    private final Shard shard;
    private final Runnable startGate;

    public RunExecutor(EmbeddedTargetStarter targets, RunSettings settings) {
        this(targets, settings, List.of());
    }

    /** With observers (kernel evidence, prediction, expectations), called in this order. */
    public RunExecutor(EmbeddedTargetStarter targets, RunSettings settings, List<RunObserver> observers) {
        this(targets, settings, observers, PublishedPortCheck::warning, new Shard(0, 1), () -> { });
    }

    private RunExecutor(EmbeddedTargetStarter targets, RunSettings settings, List<RunObserver> observers,
                        BiFunction<String, Integer, Optional<String>> portCheck, Shard shard, Runnable startGate) {
        this.targets = targets;
        this.settings = settings;
        this.observers = List.copyOf(observers);
        this.portCheck = portCheck;
        this.shard = shard;
        this.startGate = startGate;
    }

    /**
     * The same executor with another published-port check (default {@link PublishedPortCheck#warning}: a warning
     * when an external target on this machine is a port published by Docker, whose proxy hides the container's
     * accept queue). Tests pass a fake one.
     */
    public RunExecutor withPortCheck(BiFunction<String, Integer, Optional<String>> check) {
        return new RunExecutor(targets, settings, observers, check, shard, startGate);
    }

    /**
     * This run is {@code shard} of a fleet (its rate and ramp phases keep every N-th arrival; bursts and hold probes
     * come split in the plan), and its first phase waits for {@code startGate} (a common start instant): the same
     * executor otherwise.
     */
    public RunExecutor withShard(Shard shard, Runnable startGate) {
        return new RunExecutor(targets, settings, observers, portCheck, shard, startGate);
    }

    /** Runs the plan; returns the exit code: 0 ok, 2 configuration error (e.g. unknown host), 3 the run could not complete. */
    public int execute(RunPlan plan) {
        TargetServer server = null;
        InetSocketAddress address;
        String targetLine;
        int refused = refuseEarly(plan);
        if (refused != ExitCodes.OK) {
            return refused; // before an embedded target starts: nothing is printed but why
        }
        try {
            if (plan.target() instanceof TargetSpec.Embedded e) {
                try {
                    server = targets.start(e.server());
                } catch (Exception ex) {
                    settings.err().println("conlimit run: could not start the embedded target: " + PlainErrors.message(ex));
                    return ExitCodes.RUN_INCOMPLETE;
                }
                address = server.address();
                targetLine = server.startLine();
                settings.out().println(targetLine);
            } else {
                TargetSpec.External x = (TargetSpec.External) plan.target();
                try {
                    address = new InetSocketAddress(InetAddress.getByName(x.host()), x.port());
                } catch (UnknownHostException ex) {
                    settings.err().println("conlimit run: --target: unknown host '" + x.host() + "'");
                    return ExitCodes.USAGE;
                }
                targetLine = "target " + x.host() + ":" + x.port();
            }
            return run(plan, address, targetLine, server);
        } finally {
            for (RunObserver o : observers) {
                o.close();
            }
            if (server != null) {
                server.close();
            }
        }
    }

    private int run(RunPlan plan, InetSocketAddress address, String targetLine, TargetServer server) {
        boolean embedded = server != null;
        List<String> warnings = clientWarnings(plan, embedded);
        List<String> targetWarnings = targetWarnings(plan);
        int refused = preflight(plan, address, embedded);
        if (refused != ExitCodes.OK) {
            return refused;
        }
        RunRecording recording = null;
        AtomicBoolean finished = new AtomicBoolean();
        // the summary written by finish() while the observers still add to it: incomplete until saved
        AtomicReference<RunSummary> annotating = new AtomicReference<>();
        Thread onInterrupt = null;
        try (Fleet fleet = new Fleet(settings.eventLoops()).shard(shard.index(), shard.count()).startGate(startGate)) {
            if (fleet.notice() != null) {
                settings.err().println(fleet.notice());
            }
            recording = startRecording(plan, inputs(plan, targetLine, fleet, warnings, targetWarnings));
            if (recording == null) {
                return ExitCodes.USAGE;
            }
            onInterrupt = interruptHook(recording, finished, annotating);
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            ObservedRun ctx = new ObservedRun(plan, address, server, recording.epochNanos(), recording.folder(),
                    settings.out(), settings.err());
            for (RunObserver o : observers) {
                o.beforeLoad(ctx);
            }
            FleetResult result = fleet.run(address, plan.client(), plan.phases(), recording, recording.epochNanos(),
                    recording::phaseStarted, () -> endOfLoad(ctx));
            Map<String, Object> extras = new LinkedHashMap<>(result.summaryExtras());
            if (!targetWarnings.isEmpty()) {
                extras.put("warnings", targetWarnings);
            }
            if (!finished.compareAndSet(false, true)) {
                return ExitCodes.RUN_INCOMPLETE; // interrupted: the hook closed the recording
            }
            RunSummary summary = recording.finish(true, extras, result.phaseExtras());
            printPhaseNotes(result);
            return annotate(summary, ctx, annotating);
        } catch (Exception | LinkageError ex) {
            return couldNotComplete(ex, recording, finished);
        } finally {
            if (onInterrupt != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(onInterrupt);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: Ctrl-C
                }
            }
        }
    }

    /** The client self-check's warnings (this machine's limits against the plan), printed. */
    private List<String> clientWarnings(RunPlan plan, boolean embedded) {
        List<String> warnings = new ClientSelfCheck().warnings(plan.client(), plan.phases(), embedded);
        for (String w : warnings) {
            settings.err().println("client self-check: " + w);
        }
        return warnings;
    }

    /** Warnings about an external target (a port published by Docker), printed. */
    private List<String> targetWarnings(RunPlan plan) {
        List<String> targetWarnings = new ArrayList<>();
        if (plan.target() instanceof TargetSpec.External x) {
            portCheck.apply(x.host(), x.port()).ifPresent(targetWarnings::add);
        }
        for (String w : targetWarnings) {
            settings.err().println("conlimit run: WARNING: " + w);
        }
        return targetWarnings;
    }

    /** The results folder and its recording; null (after saying why) when the folder cannot be created. */
    private RunRecording startRecording(RunPlan plan, Map<String, Object> inputs) {
        try {
            return RunRecording.start(new RecordingOptions(settings.resultsRoot(), settings.outDir(), plan.name(),
                    inputs, settings.out(), settings.interactive(),
                    settings.connectionsCap(), settings.gzip(), settings.lateThresholdNanos(), burstPhases(plan)));
        } catch (java.io.IOException ex) {
            settings.err().println("conlimit run: cannot create the results folder: " + PlainErrors.message(ex)
                    + " (choose another --out or --results)");
            return null;
        }
    }

    /**
     * Ctrl-C: before the load has finished, closes the recording (the folder stays readable, marked incomplete);
     * while the observers annotate the summary, marks the summary incomplete.
     */
    private Thread interruptHook(RunRecording rec, AtomicBoolean finished, AtomicReference<RunSummary> annotating) {
        return new Thread(() -> {
            if (finished.compareAndSet(false, true)) {
                rec.close();
            } else {
                markIncomplete(annotating.getAndSet(null), "interrupted while the observers annotated the summary");
            }
        }, "conlimit-run-interrupted");
    }

    private void printPhaseNotes(FleetResult result) {
        for (FleetResult.PhaseResult p : result.phases()) {
            if (!p.note().isEmpty()) {
                settings.err().println("phase " + p.index() + " (" + p.description() + "): " + p.note());
            }
        }
    }

    /** The observers add to the written summary, which is saved again; the worst of their exit codes. */
    private int annotate(RunSummary summary, ObservedRun ctx, AtomicReference<RunSummary> annotating) throws java.io.IOException {
        int code = ExitCodes.OK;
        if (observers.isEmpty()) {
            return code;
        }
        annotating.set(summary);
        try {
            for (RunObserver o : observers) {
                o.annotate(summary.json(), ctx);
                code = Math.max(code, o.exitCode());
            }
        } catch (Exception ex) {
            settings.err().println("conlimit run: the run could not complete: " + PlainErrors.message(ex));
            markIncomplete(annotating.getAndSet(null), "an observer failed: " + PlainErrors.message(ex));
            return ExitCodes.RUN_INCOMPLETE;
        }
        if (annotating.getAndSet(null) == null) {
            return ExitCodes.RUN_INCOMPLETE; // interrupted: the hook marked the summary incomplete
        }
        summary.save();
        return code;
    }

    /** The run failed: says so, and marks the results folder incomplete unless that is done already. */
    private int couldNotComplete(Throwable ex, RunRecording recording, AtomicBoolean finished) {
        settings.err().println("conlimit run: the run could not complete: " + PlainErrors.message(ex));
        if (recording != null && finished.compareAndSet(false, true)) {
            try {
                recording.close();
            } catch (RuntimeException closeFailure) {
                settings.err().println("conlimit run: could not mark the results incomplete: " + PlainErrors.message(closeFailure));
            }
        }
        if (ex instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.RUN_INCOMPLETE;
    }

    /**
     * What the plan alone can refuse, before any target starts: a load this machine cannot open, an --out that is not
     * a folder. Returns 0, or the exit code after printing why.
     */
    private int refuseEarly(RunPlan plan) {
        Optional<String> cannot = new LoadRefusals().refusal(plan, plan.target() instanceof TargetSpec.Embedded);
        if (cannot.isPresent()) {
            settings.err().println("conlimit run: refused before starting: " + cannot.get());
            return ExitCodes.USAGE;
        }
        java.nio.file.Path out = settings.outDir();
        if (out != null && java.nio.file.Files.exists(out) && !java.nio.file.Files.isDirectory(out)) {
            settings.err().println("conlimit run: --out " + out + ": exists and is not a folder (choose a new or empty folder)");
            return ExitCodes.USAGE;
        }
        return ExitCodes.OK;
    }

    /**
     * What the observers can refuse before the results folder exists: a missing namespace, an agent that cannot be
     * reached. Returns 0, or the exit code after printing why.
     */
    private int preflight(RunPlan plan, InetSocketAddress address, boolean embedded) {
        for (RunObserver o : observers) {
            try {
                o.preflight(plan, address, embedded);
            } catch (IllegalArgumentException ex) {
                settings.err().println("conlimit run: " + ex.getMessage());
                return ExitCodes.USAGE;
            } catch (Exception ex) {
                settings.err().println("conlimit run: the run could not start: " + PlainErrors.message(ex)
                        + " (nothing was run, no results folder was written)");
                return ExitCodes.RUN_INCOMPLETE;
            }
        }
        return ExitCodes.OK;
    }

    private void endOfLoad(ObservedRun ctx) {
        for (RunObserver o : observers) {
            try {
                o.endOfLoad(ctx);
            } catch (Exception | LinkageError e) {
                settings.err().println("conlimit run: at the end of the load: " + PlainErrors.message(e));
            }
        }
    }

    /** Rewrites a summary that finish() wrote complete as incomplete, with the reason; best effort. */
    private void markIncomplete(RunSummary summary, String reason) {
        if (summary == null) {
            return;
        }
        summary.json().put("complete", false);
        summary.json().put("incomplete_reason", reason);
        try {
            summary.save();
        } catch (java.io.IOException | RuntimeException e) {
            settings.err().println("conlimit run: could not mark the results incomplete: " + PlainErrors.message(e));
        }
    }

    private static java.util.Set<Integer> burstPhases(RunPlan plan) {
        java.util.Set<Integer> out = new java.util.HashSet<>();
        for (int i = 0; i < plan.phases().size(); i++) {
            if (plan.phases().get(i) instanceof io.conlimit.plan.LoadPhase.Burst) {
                out.add(i);
            }
        }
        return out;
    }

    private Map<String, Object> inputs(RunPlan plan, String targetLine, Fleet fleet, List<String> warnings,
                                       List<String> targetWarnings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", plan.name());
        m.put("target", targetLine);
        m.put("probe", plan.client().probe().key());
        m.put("probe_spec", plan.client().probe().describe());
        m.put("connect_timeout_ms", plan.client().connectTimeout().toMillis());
        m.put("response_timeout_ms", plan.client().responseTimeout().toMillis());
        m.put("hold", plan.client().holdUntilEnd() ? "until-end" : plan.client().hold().toMillis() + "ms");
        m.put("close", plan.client().closeMode().name().toLowerCase(java.util.Locale.ROOT));
        m.put("sources", plan.client().sources().stream().map(InetAddress::getHostAddress).toList());
        m.put("phases", plan.phases().stream().map(Fleet::describe).toList());
        m.put("flags", settings.flags());
        m.put("transport", fleet.transportName());
        m.put("connect_path", fleet.connectPath(plan.client(), plan.phases()));
        m.put("event_loops", fleet.eventLoops());
        m.put("late_threshold_ms", settings.lateThresholdNanos() / 1e6);
        m.put("self_check_warnings", warnings);
        m.put("warnings", targetWarnings);
        m.put("conlimit_version", BuildVersion.version());
        if (!shard.whole()) {
            m.put("shard", Map.of("index", shard.index(), "count", shard.count()));
        }
        return m;
    }
}
