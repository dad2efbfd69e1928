package io.conlimit.k8s;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Kubernetes manifests of a conlimit fleet ({@code conlimit fleet k8s}), as YAML text: a ConfigMap holding the
 * scenario, a PersistentVolumeClaim for the shards' results folders, and an Indexed Job with N completions and
 * parallelism N (one pod per shard, at most one per node by pod anti-affinity), each pod running
 * {@code conlimit run SCENARIO --shard I/N --start-at T} with its index from the Job; with {@code merge}, instead, the
 * Job that runs {@code conlimit merge} on the volume once the fleet has completed. docs/fleet.md shows them.
 *
 * @param name        the fleet's name: every object's name and the pods' label
 * @param scenarioText the scenario file's text (goes into the ConfigMap)
 * @param shards      N
 * @param image       the conlimit harness image (its entrypoint is {@code java -jar conlimit.jar})
 * @param target      HOST:PORT replacing the scenario's target, or null (the scenario's own external target)
 * @param agent       the server's agent HOST:PORT (kernel evidence and the reference clock), or null
 * @param ownTarget   whether the pods' {@code run} gets {@code --i-own-the-target} (the consent to load a server that is
 *                    not on the pod's machine with more than 100 connections: docs/run.md#load-safety)
 * @param startAt     the common start instant
 * @param storage     the results volume's size, e.g. 1Gi
 */
public record FleetManifests(String name, String scenarioText, int shards, String image, String target, String agent,
                             boolean ownTarget, Instant startAt, String storage) {
    /** A Kubernetes object name (RFC 1123 label), short enough for the Job's pod names. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?");
    /** The client pods' sysctl: every port for outgoing connections (namespaced and safe in Kubernetes, no node setting). */
    static final String PORT_RANGE = "1024 65535";

    public FleetManifests {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name '" + name + "' is not a Kubernetes name: lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 42 characters");
        }
        if (shards < 1 || shards > io.conlimit.shard.Shard.MAX_COUNT) {
            throw new IllegalArgumentException("--shards must be 1.." + io.conlimit.shard.Shard.MAX_COUNT + ", got " + shards);
        }
        if (image == null || image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("--image needs an image reference such as conlimit/harness:dev");
        }
    }

    /** ConfigMap, PersistentVolumeClaim and the shards' Indexed Job. */
    public String fleet() {
        StringBuilder y = new StringBuilder();
        y.append("# conlimit fleet '").append(name).append("': ").append(shards).append(" shards released at ").append(startAt)
                .append(".\n# kubectl apply -f this file; when the Job has completed, apply the merge Job (conlimit fleet k8s ... --merge).\n");
        configMap(y);
        y.append("---\n");
        volumeClaim(y);
        y.append("---\n");
        shardJob(y);
        return y.toString();
    }

    /** The Job that merges the shards' folders on the volume into one (apply it after the fleet's Job completed). */
    public String merge() {
        StringBuilder y = new StringBuilder();
        y.append("# conlimit fleet '").append(name).append("': merges the ").append(shards)
                .append(" shards' folders into /results/merged (apply after the fleet's Job has completed).\n");
        y.append("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ").append(name).append("-merge\n");
        labels(y, "  ");
        y.append("spec:\n  backoffLimit: 0\n  template:\n    metadata:\n");
        labels(y, "      ");
        y.append("    spec:\n      restartPolicy: Never\n      containers:\n        - name: merge\n          image: ").append(image)
                .append("\n          args:\n");
        List<String> args = new ArrayList<>(List.of("merge"));
        for (int i = 0; i < shards; i++) {
            args.add("/results/shard-" + i);
        }
        args.addAll(List.of("--out", "/results/merged"));
        for (String a : args) {
            y.append("            - ").append(quote(a)).append('\n');
        }
        y.append("          volumeMounts:\n            - name: results\n              mountPath: /results\n");
        y.append("      volumes:\n        - name: results\n          persistentVolumeClaim:\n            claimName: ")
                .append(name).append("-results\n");
        return y.toString();
    }

    private void configMap(StringBuilder y) {
        y.append("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ").append(name).append("-scenario\n");
        labels(y, "  ");
        y.append("data:\n  scenario.yaml: |\n");
        for (String line : scenarioText.split("\n", -1)) {
            if (!line.isEmpty()) {
                y.append("    ").append(line);
            }
            y.append('\n');
        }
        while (y.charAt(y.length() - 1) == '\n' && y.charAt(y.length() - 2) == '\n') {
            y.setLength(y.length() - 1);
        }
    }

    private void volumeClaim(StringBuilder y) {
        y.append("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: ").append(name).append("-results\n");
        labels(y, "  ");
        y.append("spec:\n  accessModes:\n    - ReadWriteMany\n  resources:\n    requests:\n      storage: ").append(storage).append('\n');
    }

    private void shardJob(StringBuilder y) {
        y.append("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ").append(name).append('\n');
        labels(y, "  ");
        y.append("spec:\n");
        y.append("  completionMode: Indexed\n");
        y.append("  completions: ").append(shards).append('\n');
        y.append("  parallelism: ").append(shards).append('\n');
        y.append("  backoffLimit: 0 # a shard started again would start late: the fleet fails instead\n");
        y.append("  template:\n    metadata:\n");
        labels(y, "      ");
        y.append("    spec:\n      restartPolicy: Never\n");
        y.append("      affinity:\n        podAntiAffinity: # one shard per node: each its own kernel, ports and open files\n");
        y.append("          requiredDuringSchedulingIgnoredDuringExecution:\n            - labelSelector:\n");
        y.append("                matchLabels:\n                  conlimit.io/fleet: ").append(name).append('\n');
        y.append("              topologyKey: kubernetes.io/hostname\n");
        y.append("      securityContext:\n        sysctls: # namespaced and safe: every port for outgoing connections\n");
        y.append("          - name: net.ipv4.ip_local_port_range\n            value: \"").append(PORT_RANGE).append("\"\n");
        y.append("      containers:\n        - name: shard\n          image: ").append(image).append('\n');
        y.append("          args:\n");
        List<String> args = new ArrayList<>(List.of("run", "/scenario/scenario.yaml", "--out", "/results/shard-$(SHARD_INDEX)",
                "--no-report"));
        if (target != null) {
            args.addAll(List.of("--target", target));
        }
        if (agent != null) {
            args.addAll(List.of("--agent", agent));
        }
        if (ownTarget) {
            args.add("--i-own-the-target");
        }
        for (String a : args) {
            y.append("            - ").append(quote(a)).append('\n');
        }
        y.append("          env: # run reads its shard from JOB_COMPLETION_INDEX (set by the Job) and CONLIMIT_SHARDS\n");
        y.append("            - name: CONLIMIT_SHARDS\n              value: \"").append(shards).append("\"\n");
        y.append("            - name: CONLIMIT_START_AT\n              value: \"").append(startAt).append("\"\n");
        y.append("            - name: SHARD_INDEX\n              valueFrom:\n                fieldRef:\n");
        y.append("                  fieldPath: metadata.annotations['batch.kubernetes.io/job-completion-index']\n");
        y.append("          resources:\n            requests:\n              cpu: \"1\"\n              memory: 1Gi\n");
        y.append("            limits:\n              memory: 2Gi\n");
        y.append("          volumeMounts:\n            - name: scenario\n              mountPath: /scenario\n");
        y.append("            - name: results\n              mountPath: /results\n");
        y.append("      volumes:\n        - name: scenario\n          configMap:\n            name: ").append(name).append("-scenario\n");
        y.append("        - name: results\n          persistentVolumeClaim:\n            claimName: ").append(name).append("-results\n");
    }

    private void labels(StringBuilder y, String indent) {
        y.append(indent).append("labels:\n");
        y.append(indent).append("  app.kubernetes.io/name: conlimit\n");
        y.append(indent).append("  conlimit.io/fleet: ").append(name).append('\n');
    }

    /** A YAML scalar: plain when safe, else double-quoted. */
    static String quote(String s) {
        if (s.matches("[A-Za-z0-9/._:@-]+") && !s.matches("[0-9.:-]+")) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
