package io.conlimit.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.cli.Main;
import io.conlimit.fleet.Outcome;
import io.conlimit.results.ResultsFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The user's CI A/B in Docker: the target image started twice, with {@code net.core.somaxconn} 128 and 4096 (the
 * containers' own sysctls), each running the same server (blocking-pool, backlog max, 2 workers holding each
 * connection 200 ms) and a {@code conlimit agent} beside it in the same container, so that the harness gets the
 * container kernel's evidence. The same burst (600 connects, 3.5 s connect timeout, each connection kept 2 s by the
 * client so that even the fast 4096 run lasts long enough for the agent, a fresh JVM in a fresh container, to
 * deliver samples of the listener) goes from this JVM to each
 * container's own address on the Docker bridge (never a published port), and the assertions come from the
 * server's start line and from summary.json's kernel section (read through {@link ResultsFolder}).
 * Skipped, with the reason, where Docker is not usable ({@link DockerLabCondition}).
 */
@ExtendWith(DockerLabCondition.class)
@Testcontainers(disabledWithoutDocker = true)
class DockerAbTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final String JAR = "/opt/conlimit/conlimit-target.jar";
    private static final String SERVE = "serve blocking-pool --bind 0.0.0.0 --port 8080 --backlog max --workers 2 --hold 200ms";

    @TempDir
    Path dir;

    private static GenericContainer<?> target(int somaxconn, String token, StringBuilder logs) {
        String script = "java -jar " + JAR + " agent --listen 0.0.0.0:7070 --token " + token + " & exec java -jar " + JAR + " " + SERVE;
        return new GenericContainer<>(DockerImageName.parse(DockerLabCondition.TARGET_IMAGE))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withEntrypoint("sh", "-c", script).withCmd();
                    cmd.getHostConfig().withSysctls(Map.of("net.core.somaxconn", Integer.toString(somaxconn)));
                })
                .withLogConsumer(frame -> {
                    synchronized (logs) {
                        logs.append(frame.getUtf8String());
                    }
                });
    }

    /** Polls the container's output (every 50 ms, until START_TIMEOUT) for a line starting with {@code prefix}. */
    private static String awaitLine(GenericContainer<?> c, StringBuilder logs, String prefix) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (logs) {
                Optional<String> line = logs.toString().lines().filter(l -> l.startsWith(prefix)).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
            }
            if (!c.isRunning()) {
                break;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String out;
        synchronized (logs) {
            out = logs.toString();
        }
        if (out.contains("Could not find or load main class")) {
            abort("target image " + DockerLabCondition.TARGET_IMAGE + " is stale (no target server main class): " + out.trim());
        }
        return fail("the target container printed no '" + prefix + "' line within " + START_TIMEOUT.toSeconds()
                + " s; its output:\n" + out);
    }

    private static String ownAddress(GenericContainer<?> c) {
        String a = c.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
        assertNotNull(a, "the container has an address on its network");
        return a;
    }

    /** Starts the container, runs the burst against its own address, returns [start line, summary]. */
    private Object[] burstAgainst(int somaxconn) throws Exception {
        String token = UUID.randomUUID().toString();
        StringBuilder logs = new StringBuilder();
        try (GenericContainer<?> c = target(somaxconn, token, logs)) {
            c.start();
            String start = awaitLine(c, logs, "serving ");
            awaitLine(c, logs, "agent listening on ");
            assertTrue(c.getContainerInfo().getHostConfig().getPortBindings().getBindings().isEmpty(), "no published ports");
            String ip = ownAddress(c);
            Path out = dir.resolve("docker-somaxconn-" + somaxconn);
            int code = Main.execute("run", "--target", ip + ":8080", "--burst", "600", "--probe", "banner", "--connect-timeout", "3.5s",
                    "--hold", "2s", "--name", "docker-ab-" + somaxconn, "--out", out.toString(),
                    "--agent", ip + ":7070", "--agent-token", token);
            assertEquals(0, code, "conlimit run against " + ip + ":8080");
            ResultsFolder f = ResultsFolder.load(out);
            assertTrue(f.complete(), "complete run in " + out);
            return new Object[] {start, f};
        }
    }

    private static long delta(ObjectNode s, String counter) {
        JsonNode n = s.path("kernel").path("counters_delta").path(counter);
        assertTrue(n.isNumber(), "kernel.counters_delta." + counter + " in " + s.path("kernel"));
        return n.asLong();
    }

    @Test
    void somaxconn128DropsTheBurstsSynsAnd4096TakesThemAll() throws Exception {
        String image = DockerLabCondition.TARGET_IMAGE;
        assumeTrue(DockerLabCondition.imageExists(image), () -> "target image " + image + " is not built (docker/build-images.sh)");

        Object[] a = burstAgainst(128);
        String start128 = (String) a[0];
        ResultsFolder small = (ResultsFolder) a[1];
        ObjectNode s = small.requireSummary();
        assertEquals("128", LabProcesses.keyValues(start128).get("backlog.effective"), start128);
        assertEquals("128", LabProcesses.keyValues(start128).get("somaxconn"), start128);
        assertTrue(s.path("kernel").path("observed").asBoolean(), s.path("kernel").toString());
        assertTrue(s.path("kernel").path("source").asText().startsWith("agent "), s.path("kernel").toString());
        assertEquals(128, s.path("kernel").path("backlog_seen").asLong(), s.path("kernel").toString());
        assertTrue(delta(s, "ListenOverflows") > 0, "the full accept queue dropped SYNs: " + s.path("kernel"));
        assertTrue(s.path("syn_retransmits").path("total").asLong() > 0 || small.outcome(Outcome.CONNECT_TIMEOUT) > 0,
                "the client saw the drops: " + s.path("syn_retransmits"));

        Object[] b = burstAgainst(4096);
        String start4096 = (String) b[0];
        ResultsFolder large = (ResultsFolder) b[1];
        ObjectNode t = large.requireSummary();
        assertEquals("4096", LabProcesses.keyValues(start4096).get("backlog.effective"), start4096);
        assertEquals(4096, t.path("kernel").path("backlog_seen").asLong(), t.path("kernel").toString());
        assertEquals(0, delta(t, "ListenOverflows"), "nothing overflowed a 4096 queue: " + t.path("kernel"));
        assertEquals(0, t.path("syn_retransmits").path("total").asLong(), t.path("syn_retransmits").toString());
        // every handshake completed at once; only those a worker greeted within the response timeout are ok
        assertEquals(600, large.outcome(Outcome.OK) + large.outcome(Outcome.CONNECTED_UNSERVED));
        assertEquals(0, large.outcome(Outcome.CONNECT_TIMEOUT));

        // the gate docker/compose.yaml ships: the same expectations, through conlimit compare, exit 0
        List<String> expect = shippedExpectations();
        List<String> args = new ArrayList<>(List.of("compare", small.folder().toString(), large.folder().toString()));
        expect.forEach(e -> args.addAll(List.of("--expect", e)));
        assertEquals(0, Main.execute(args.toArray(String[]::new)), "compose's expectations hold: " + expect);
        // and they fail when the two sides are swapped: each side's kernel is checked, not just "some difference"
        List<String> swapped = new ArrayList<>(List.of("compare", large.folder().toString(), small.folder().toString()));
        expect.forEach(e -> swapped.addAll(List.of("--expect", e)));
        assertEquals(1, Main.execute(swapped.toArray(String[]::new)));
    }

    /** The --expect arguments of docker/compose.yaml's ab service. */
    static List<String> shippedExpectations() throws java.io.IOException {
        String compose = java.nio.file.Files.readString(Path.of("../docker/compose.yaml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("--expect '([^']+)'").matcher(compose);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        assertTrue(out.size() >= 6, "docker/compose.yaml ships expectations: " + out);
        return out;
    }

    @Test
    void aRunThroughAPublishedPortIsWarnedAboutAndTheWarningRecorded() throws Exception {
        String image = DockerLabCondition.TARGET_IMAGE;
        assumeTrue(DockerLabCondition.imageExists(image), () -> "target image " + image + " is not built (docker/build-images.sh)");
        StringBuilder logs = new StringBuilder();
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withExposedPorts(8080) // published on a random host port: docker-proxy accepts on the container's behalf
                .withLogConsumer(frame -> {
                    synchronized (logs) {
                        logs.append(frame.getUtf8String());
                    }
                })) {
            c.start();
            awaitLine(c, logs, "serving ");
            int published = c.getMappedPort(8080);
            Path out = dir.resolve("published");
            int code = Main.execute("run", "--target", "127.0.0.1:" + published, "--burst", "3", "--connect-timeout", "3s",
                    "--out", out.toString(), "--no-kernel-evidence");
            assertEquals(0, code);
            ResultsFolder f = ResultsFolder.load(out);
            String w = f.run().path("inputs").path("warnings").path(0).asText();
            assertTrue(w.startsWith("target 127.0.0.1:" + published + " is a port published by Docker: docker-proxy (pid "), w);
            assertEquals(w, f.requireSummary().path("warnings").path(0).asText());
        }
    }
}
