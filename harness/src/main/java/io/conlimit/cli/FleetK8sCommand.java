package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.k8s.FleetManifests;
import io.conlimit.plan.TargetSpec;
import io.conlimit.scenario.Scenario;
import io.conlimit.scenario.ScenarioException;
import io.conlimit.scenario.ScenarioLoader;
import io.conlimit.shard.Shard;
import io.conlimit.shard.ShardPlan;
import io.conlimit.shard.StartAt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code conlimit fleet k8s}: the Kubernetes manifests of a fleet of N shards of one scenario. */
@Command(name = "k8s",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Prints the Kubernetes manifests that run SCENARIO as N shards, one pod per node: a ConfigMap with the "
                        + "scenario, a PersistentVolumeClaim for the results, and an Indexed Job (completions = parallelism "
                        + "= N) whose pods run conlimit run --shard (from JOB_COMPLETION_INDEX) and release their load at one "
                        + "instant (render time + --start-margin). With --merge: the Job that merges the shards' folders "
                        + "once the fleet has completed. See docs/fleet.md.",
                "",
                "Exit codes: 0 ok, 2 usage or configuration error (an invalid scenario: every error printed)."
        })
public final class FleetK8sCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "The scenario file (its target external, or give --target).")
    Path file;

    @Option(names = "--shards", paramLabel = "N", required = true, description = "Shards (pods), each on its own node.")
    int shards;

    @Option(names = "--image", paramLabel = "IMAGE", required = true,
            description = "The conlimit harness image (docker/Dockerfile.harness), e.g. conlimit/harness:dev.")
    String image;

    @Mixin
    TargetOption targetOption = new TargetOption();

    @Mixin
    AgentOption agentOption = new AgentOption();

    @Mixin
    LoadConsentOption loadConsent = new LoadConsentOption();

    @Option(names = "--name", paramLabel = "NAME", description = "The objects' name (default: the scenario's name).")
    String name;

    @Option(names = "--start-margin", paramLabel = "D", defaultValue = "2m",
            description = "The start instant is the render time plus this (default ${DEFAULT-VALUE}): time to schedule the pods and pull the image.")
    String startMargin;

    @Option(names = "--start-at", paramLabel = "INSTANT", description = "The start instant itself (ISO-8601 UTC) instead of render time + margin.")
    String startAt;

    @Option(names = "--storage", paramLabel = "SIZE", defaultValue = "1Gi", description = "The results volume's size (default ${DEFAULT-VALUE}).")
    String storage;

    @Option(names = "--merge", description = "Print the Job that merges the shards' results (apply it after the fleet's Job completed).")
    boolean merge;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the manifests to FILE instead of printing them.")
    Path out;

    @Override
    public Integer call() {
        return call(System.out, System.err, Instant.now());
    }

    int call(PrintStream o, PrintStream e, Instant now) {
        String target = targetOption.target;
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Scenario s = ScenarioLoader.load(file, List.of());
            if (s.needsLab()) {
                throw new IllegalArgumentException(file + ": a lab scenario runs on this machine, not on Kubernetes");
            }
            if (target == null && s.plan().target() instanceof TargetSpec.Embedded) {
                throw new IllegalArgumentException(file + " loads an embedded target: give --target HOST:PORT, the server the pods load");
            }
            if (target != null && target.lastIndexOf(':') < 1) {
                throw new IllegalArgumentException("--target: expected HOST:PORT, got '" + target + "'");
            }
            for (int i = 0; i < shards; i++) {
                ShardPlan.split(s.plan(), new Shard(i, shards)); // a load too small for N shards is refused here, not in the pods
            }
            Instant at = startAt != null ? StartAt.parse(startAt)
                    : now.plus(FlagParsers.duration("--start-margin", startMargin)).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            String n = name != null ? name : s.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
            FleetManifests m = new FleetManifests(n, text, shards, image, target, agentOption.agent, loadConsent.consent, at, storage);
            String yaml = merge ? m.merge() : m.fleet();
            if (out != null) {
                Files.writeString(out, yaml, StandardCharsets.UTF_8);
                o.println("wrote " + out + (merge ? "" : " (start instant " + at + ")"));
            } else {
                o.print(yaml);
            }
            return ExitCodes.OK;
        } catch (ScenarioException ex) {
            ex.lines().forEach(e::println);
            e.println(file + ": invalid (" + ex.errors().size() + (ex.errors().size() == 1 ? " error" : " errors") + ")");
            return ExitCodes.USAGE;
        } catch (IOException ex) {
            e.println("conlimit fleet k8s: " + file + ": cannot read it (" + ex.getMessage() + ")");
            return ExitCodes.USAGE;
        } catch (IllegalArgumentException ex) {
            e.println("conlimit fleet k8s: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
