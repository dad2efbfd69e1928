package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.fleet.Fleet;
import io.conlimit.scenario.Scenario;
import io.conlimit.scenario.ScenarioException;
import io.conlimit.run.EmbeddedTargetStarter;
import io.conlimit.run.EvidenceObserver;
import io.conlimit.run.RunObserver;
import io.conlimit.run.ScenarioRunner;
import io.conlimit.run.RunSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code conlimit run}: one load against a target, every connection recorded. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Opens connections to a target and records what happened to each one: SYN retransmits, accepted by "
                        + "the kernel vs served by the application, and the client's own limits kept apart. After "
                        + "every run it prints the theory's prediction next to the measurement and names the binding limit.",
                "",
                "conlimit run FILE [--set PATH=VALUE]... [--target HOST:PORT]: runs a scenario file (docs/scenarios.md) "
                        + "and checks its expectations; --target replaces the scenario's target with an external server. "
                        + "Change a scenario's load with --set (e.g. --set load[0].burst=500): the load and client flags "
                        + "below are for runs without a file.",
                "",
                "Load (one of): --burst N | --rate R --duration D [--poisson] | --ramp A..B --duration D [--steps N] "
                        + "| --hold-probe [--gap D] [--max-held N] [--stop-after K].",
                "",
                "Without --target the load goes to an embedded blocking-pool target on loopback (W=2 workers, "
                        + "backlog B=8, each connection held forever: limit W + B + 1 = 11).",
                "Without any argument, conlimit run is a demonstration in two runs (two results folders), each against "
                        + "a fresh blocking-pool W=4 B=16 that holds forever: first scenarios/quickstart.yaml (a hold "
                        + "probe, arrivals spread out) finds W + B + 1 = 21; then the same file with a burst of 100 at one "
                        + "instant: about B + 1 + W = 21 get in at once, the rest are dropped by the full accept queue and "
                        + "retransmit their SYNs (1 s, 2 s, 3 s) until the 3.5 s connect timeout (if the burst outruns the "
                        + "workers' first accept(), 17 get in at once and a retry cluster finds the 4 slots they free: "
                        + "its clients then believe they are connected while the server dropped most of their final ACKs).",
                "",
                "Exit codes: 0 ok (every expectation holds), 1 an expectation failed, 2 usage or configuration error "
                        + "(an invalid file: every error printed, nothing runs), 3 the run could not complete, 130/143 stopped "
                        + "by SIGINT/SIGTERM (the results folder is marked incomplete)."
        })
public final class RunCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "A scenario file (optional).")
    Path file;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "With FILE: override one value of the scenario, e.g. server.backlog=4096, load[0].burst=2000 (repeatable).")
    List<String> sets = new ArrayList<>();

    @CommandLine.Mixin
    RunFlags flags = new RunFlags();

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default results/<UTC time>-<name>/).")
    Path out;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results", description = "Where run folders go (default ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--connections-cap", paramLabel = "N", defaultValue = "1000000",
            description = "At most N rows in connections.csv (default ${DEFAULT-VALUE}).")
    int connectionsCap;

    @Option(names = "--gzip", description = "Write connections.csv.gz.")
    boolean gzip;

    @Option(names = "--event-loops", paramLabel = "N", description = "Client event loops (default: one per processor).")
    Integer eventLoops;

    @Option(names = "--late-threshold", paramLabel = "D", defaultValue = "1ms",
            description = "A connect() later than this behind its intended start counts as a late start (default ${DEFAULT-VALUE}).")
    String lateThreshold;

    @CommandLine.Mixin
    AgentOption agentOption = new AgentOption();

    @CommandLine.Mixin
    AgentTokenOption agentTokenOption = new AgentTokenOption();

    @Option(names = "--server-netns", paramLabel = "NAME",
            description = "The server runs in network namespace NAME of this machine (e.g. a lab's server namespace): read "
                    + "its kernel's accept queue and counters there (through ip netns exec; needs root).")
    String serverNetns;

    @Option(names = "--no-kernel-evidence", description = "Do not observe the server's kernel (no kernel-timeline.csv, no \"kernel\" in summary.json).")
    boolean noKernelEvidence;

    @CommandLine.Mixin
    ShardOptions shardOptions = new ShardOptions();

    /** The environment the shard options default from (tests replace it). */
    Map<String, String> env = System.getenv();

    @Option(names = "--no-report", description = "Do not write report.html into the results folder (conlimit report writes it later).")
    boolean noReport;

    @CommandLine.Mixin
    LoadConsentOption loadConsent = new LoadConsentOption();

    /** The flags as given, for run.json (the agent's token is not written). */
    private List<String> given() {
        List<String> g = new ArrayList<>(flags().given());
        if (agentOption.agent != null) {
            g.addAll(List.of("--agent", agentOption.agent));
        }
        if (agentTokenOption.agentToken != null) {
            g.addAll(List.of("--agent-token", "(not recorded)"));
        }
        if (serverNetns != null) {
            g.addAll(List.of("--server-netns", serverNetns));
        }
        if (noKernelEvidence) {
            g.add("--no-kernel-evidence");
        }
        g.addAll(shardOptions.given());
        return g;
    }

    /**
     * The observers that run before the prediction, fresh for each run: the kernel evidence, from
     * {@code --agent} or else the scenario's {@code target.agent} (null scenario: flags only).
     * @throws IllegalArgumentException naming the flag
     */
    List<RunObserver> observers(Scenario scenario) {
        List<RunObserver> list = new ArrayList<>();
        if (noKernelEvidence) {
            if (agentOption.agent != null || agentTokenOption.agentToken != null || serverNetns != null) {
                throw new IllegalArgumentException("--no-kernel-evidence contradicts --agent / --agent-token / --server-netns");
            }
        } else if (agentOption.agent == null && scenario != null
                && scenario.plan().target() instanceof io.conlimit.plan.TargetSpec.External x && x.agent() != null) {
            list.add(new EvidenceObserver(x.agent(), AgentTokens.resolve(agentTokenOption.agentToken)));
        } else {
            list.add(new EvidenceObserver(agentOption.agent, agentOption.agent == null ? agentTokenOption.agentToken : AgentTokens.resolve(agentTokenOption.agentToken), serverNetns));
        }
        list.add(loadConsent.observer()); // load safety: checked before anything starts (RunObserver.preflight)
        return list;
    }

    /** The load and client flags as given. */
    RunFlags flags() {
        return flags;
    }

    /** @throws IllegalArgumentException naming the flag */
    RunSettings settings(PrintStream o, PrintStream e) {
        if (connectionsCap < 0) {
            throw new IllegalArgumentException("--connections-cap must be 0 or more, got " + connectionsCap);
        }
        int loops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
        if (loops < 1 || loops > 256) {
            throw new IllegalArgumentException("--event-loops must be 1..256, got " + loops);
        }
        long late = FlagParsers.duration("--late-threshold", lateThreshold).toNanos();
        return new RunSettings(results, out, loops, late, connectionsCap, gzip, given(), o, e, System.console() != null);
    }

    @Override
    public Integer call() {
        return call(EmbeddedTargetStarter.standard(), System.out, System.err);
    }

    int call(EmbeddedTargetStarter starter, PrintStream o, PrintStream e) {
        List<Scenario> runs;
        RunSettings settings;
        io.conlimit.shard.Shard shard;
        java.time.Instant startAt;
        try {
            settings = settings(o, e);
            observers(null); // checks the evidence flags before anything runs
            runs = RunScenarios.resolve(file, sets, flags());
            shard = shardOptions.shard(env);
            startAt = shardOptions.startAt(env);
            if (shard != null || startAt != null) {
                ShardRuns.check(runs, shard);
            }
        } catch (ScenarioException ex) {
            ex.lines().forEach(e::println);
            e.println((file == null ? "--set" : file.toString()) + ": invalid (" + ex.errors().size()
                    + (ex.errors().size() == 1 ? " error" : " errors") + "); nothing was run");
            return ExitCodes.USAGE;
        } catch (IllegalArgumentException ex) {
            e.println("conlimit run: " + ex.getMessage());
            e.println("Try 'conlimit run --help' for more information.");
            return ExitCodes.USAGE;
        }
        int worst = ExitCodes.OK;
        for (Scenario s : runs) {
            if (runs.size() > 1) {
                o.println("== " + s.name() + ": " + s.plan().phases().stream().map(Fleet::describe).toList());
            }
            RunSettings rs = runs.size() > 1 && out != null ? settings.withOutDir(out.resolve(s.name())) : settings;
            int code;
            if (s.needsLab()) { // target.lab: the run happens in a namespace lab, the client re-executed inside it
                if (agentOption.agent != null || agentTokenOption.agentToken != null || serverNetns != null || noKernelEvidence) {
                    e.println("conlimit run: --agent, --agent-token, --server-netns and --no-kernel-evidence do not apply to a "
                            + "lab scenario: the lab reads its server namespace's kernel itself");
                    return ExitCodes.USAGE;
                }
                code = LabScenarioRun.run(s, file, LabScenarioRun.childFlags(sets, flags.name, connectionsCap, gzip, eventLoops,
                        lateThreshold), rs, io.conlimit.lab.LabNetwork::unavailableReason, !noReport);
            } else if (shard != null || startAt != null) {
                ScenarioRunner.Result r = ShardRuns.run(s, shard, startAt, this, starter, rs,
                        serverNetns != null && flags.target() != null ? RunScenarios.labServer(file, sets, flags.name) : null);
                code = r.exitCode();
                ReportStep.write(r.folder(), !noReport, o, e);
            } else {
                ScenarioRunner runner = new ScenarioRunner(starter, () -> observers(s));
                if (serverNetns != null && flags.target() != null) { // a lab's client run: the lab's server is known
                    runner = runner.withKnownServer(RunScenarios.labServer(file, sets, flags.name));
                }
                ScenarioRunner.Result r = runner.run(s, rs);
                code = r.exitCode();
                ReportStep.write(r.folder(), !noReport, o, e);
            }
            if (code == ExitCodes.USAGE || code == ExitCodes.RUN_INCOMPLETE) {
                return code;
            }
            worst = Math.max(worst, code);
        }
        return worst;
    }
}
