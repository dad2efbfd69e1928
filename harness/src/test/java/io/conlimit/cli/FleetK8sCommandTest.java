package io.conlimit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.conlimit.scenario.Scenario;
import io.conlimit.scenario.ScenarioLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conlimit fleet k8s renders manifests that Kubernetes' own model (fabric8 kubernetes-model) reads: the Job is Indexed
 * with completions = parallelism = N, one pod per node, the sysctl and environment a shard needs, the scenario from the
 * ConfigMap and the results on the volume; and docs/fleet.md shows exactly what the command renders.
 */
class FleetK8sCommandTest {
    static final Path SCENARIO = Path.of("../scenarios/fleet-burst.yaml");
    static final Path DOC = Path.of("../docs/fleet.md");
    /** The command docs/fleet.md shows (its manifests are this command's output). */
    static final String[] DOC_ARGS = {"../scenarios/fleet-burst.yaml", "--shards", "4", "--image", "conlimit/harness:dev",
            "--target", "10.0.0.10:8080", "--agent", "10.0.0.10:7070", "--start-at", "2026-12-05T06:00:00Z"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private record Out(int code, String out, String err) {
    }

    private static Out render(Instant now, String... args) {
        Capture o = new Capture();
        Capture e = new Capture();
        FleetK8sCommand cmd = new FleetK8sCommand();
        new CommandLine(cmd).parseArgs(args);
        return new Out(cmd.call(o.stream, e.stream, now), o.text(), e.text());
    }

    private static List<Map<String, Object>> docs(String yaml) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object d : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) d;
            out.add(m);
        }
        return out;
    }

    @Test
    void theJobIsIndexedOnePodPerNodeAndStartsEveryShardAtRenderTimePlusTheMargin() throws Exception {
        Instant now = Instant.parse("2026-12-05T05:00:00.250Z");
        Out r = render(now, "../scenarios/fleet-burst.yaml", "--shards", "4", "--image", "conlimit/harness:dev",
                "--target", "10.0.0.10:8080", "--agent", "10.0.0.10:7070", "--start-margin", "90s");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> d = docs(r.out());
        assertEquals(3, d.size());
        ConfigMap cm = JSON.convertValue(d.get(0), ConfigMap.class);
        PersistentVolumeClaim pvc = JSON.convertValue(d.get(1), PersistentVolumeClaim.class);
        Job job = JSON.convertValue(d.get(2), Job.class);
        assertEquals("ConfigMap", cm.getKind());
        assertEquals(Files.readString(SCENARIO), cm.getData().get("scenario.yaml"), "the scenario travels whole");
        Path copy = tmp.resolve("scenario.yaml");
        Files.writeString(copy, cm.getData().get("scenario.yaml"));
        Scenario s = ScenarioLoader.load(copy, List.of());
        assertEquals("fleet-burst", s.name());
        assertEquals(List.of("ReadWriteMany"), pvc.getSpec().getAccessModes());

        assertEquals("batch/v1", job.getApiVersion());
        assertEquals("Job", job.getKind());
        assertEquals("fleet-burst", job.getMetadata().getName());
        assertEquals("Indexed", job.getSpec().getCompletionMode());
        assertEquals(4, job.getSpec().getCompletions());
        assertEquals(4, job.getSpec().getParallelism());
        assertEquals(0, job.getSpec().getBackoffLimit());
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertEquals("Never", pod.getRestartPolicy());
        List<PodAffinityTerm> anti = pod.getAffinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        assertEquals(1, anti.size());
        assertEquals("kubernetes.io/hostname", anti.get(0).getTopologyKey());
        Map<String, String> podLabels = job.getSpec().getTemplate().getMetadata().getLabels();
        anti.get(0).getLabelSelector().getMatchLabels().forEach((k, v) -> assertEquals(v, podLabels.get(k),
                "the anti-affinity selects the fleet's own pods"));
        assertEquals("net.ipv4.ip_local_port_range", pod.getSecurityContext().getSysctls().get(0).getName());
        assertEquals("1024 65535", pod.getSecurityContext().getSysctls().get(0).getValue());

        Container c = pod.getContainers().get(0);
        assertEquals("conlimit/harness:dev", c.getImage());
        assertEquals(List.of("run", "/scenario/scenario.yaml", "--out", "/results/shard-$(SHARD_INDEX)", "--no-report",
                "--target", "10.0.0.10:8080", "--agent", "10.0.0.10:7070"), c.getArgs());
        Map<String, EnvVar> env = new java.util.HashMap<>();
        c.getEnv().forEach(v -> env.put(v.getName(), v));
        assertEquals("4", env.get("CONLIMIT_SHARDS").getValue());
        assertEquals(Instant.parse("2026-12-05T05:01:31Z"), Instant.parse(env.get("CONLIMIT_START_AT").getValue()),
                "render time + 90 s, on the next whole second");
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']",
                env.get("SHARD_INDEX").getValueFrom().getFieldRef().getFieldPath());
        assertNotNull(c.getResources().getRequests().get("cpu"));
        Map<String, String> mounts = new java.util.HashMap<>();
        c.getVolumeMounts().forEach(m -> mounts.put(m.getName(), m.getMountPath()));
        assertEquals(Map.of("scenario", "/scenario", "results", "/results"), mounts);
        Map<String, Volume> volumes = new java.util.HashMap<>();
        pod.getVolumes().forEach(v -> volumes.put(v.getName(), v));
        assertEquals(cm.getMetadata().getName(), volumes.get("scenario").getConfigMap().getName());
        assertEquals(pvc.getMetadata().getName(), volumes.get("results").getPersistentVolumeClaim().getClaimName());

        // the merge Job reads every shard's folder from the same volume
        Out m = render(now, "../scenarios/fleet-burst.yaml", "--shards", "4", "--image", "conlimit/harness:dev",
                "--target", "10.0.0.10:8080", "--merge");
        assertEquals(0, m.code(), m.err());
        Job merge = JSON.convertValue(docs(m.out()).get(0), Job.class);
        List<String> args = merge.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertEquals(List.of("merge", "/results/shard-0", "/results/shard-1", "/results/shard-2", "/results/shard-3", "--out", "/results/merged"), args);
        assertEquals(pvc.getMetadata().getName(), merge.getSpec().getTemplate().getSpec().getVolumes().get(0)
                .getPersistentVolumeClaim().getClaimName());
    }

    @Test
    void iOwnTheTargetPassesThroughToThePodsRun() throws Exception {
        Out r = render(Instant.now(), append(DOC_ARGS, "--i-own-the-target"));
        assertEquals(0, r.code(), r.err());
        Job job = JSON.convertValue(docs(r.out()).get(2), Job.class);
        List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        assertEquals(List.of("run", "/scenario/scenario.yaml", "--out", "/results/shard-$(SHARD_INDEX)", "--no-report",
                "--target", "10.0.0.10:8080", "--agent", "10.0.0.10:7070", "--i-own-the-target"), args);
        // what the pods run is a command line conlimit run accepts, the consent given
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
        assertTrue(run.loadConsent.consent);
        assertEquals("10.0.0.10:8080", run.flags().target());

        Out without = render(Instant.now(), DOC_ARGS);
        Job plain = JSON.convertValue(docs(without.out()).get(2), Job.class);
        assertFalse(plain.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().contains("--i-own-the-target"),
                "no consent unless given");
    }

    @Test
    void docsFleetShowsWhatTheCommandRenders() throws Exception {
        Out r = render(Instant.now(), DOC_ARGS);
        assertEquals(0, r.code(), r.err());
        Out m = render(Instant.now(), append(DOC_ARGS, "--merge"));
        String doc = Files.readString(DOC);
        assertTrue(doc.contains("```yaml\n" + r.out() + "```\n"), "docs/fleet.md's fleet manifests are not what "
                + "conlimit fleet k8s " + String.join(" ", DOC_ARGS) + " renders:\n" + r.out());
        assertTrue(doc.contains("```yaml\n" + m.out() + "```\n"), "docs/fleet.md's merge Job is not what --merge renders:\n" + m.out());
        assertTrue(doc.contains("./conlimit fleet k8s scenarios/fleet-burst.yaml --shards 4 --image conlimit/harness:dev \\\n"
                + "        --target 10.0.0.10:8080 --agent 10.0.0.10:7070 --start-at 2026-12-05T06:00:00Z"), "the documented command");
    }

    @Test
    void refusesWhatCannotRunAsAFleet() {
        Out embedded = render(Instant.now(), "../scenarios/fleet-burst.yaml", "--shards", "4", "--image", "x");
        assertEquals(2, embedded.code());
        assertTrue(embedded.err().contains("give --target HOST:PORT"), embedded.err());
        Out small = render(Instant.now(), "../scenarios/fleet-burst.yaml", "--shards", "5", "--image", "x", "--target", "h:1");
        assertEquals(2, small.code());
        assertTrue(small.err().contains("a burst of 4 cannot be split into 5 shards"), small.err());
        Out name = render(Instant.now(), "../scenarios/fleet-burst.yaml", "--shards", "2", "--image", "x", "--target", "h:1",
                "--name", "Bad_Name");
        assertEquals(2, name.code());
        assertTrue(name.err().contains("is not a Kubernetes name"), name.err());
        for (Out o : List.of(embedded, small, name)) {
            assertFalse(o.err().contains("Exception"), o.err());
        }
    }

    private static String[] append(String[] a, String x) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = x;
        return out;
    }
}
