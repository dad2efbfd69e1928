package io.conlimit.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.cli.Main;
import io.conlimit.kernel.Commands;
import io.conlimit.kernel.NetworkNamespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fleet of 4 shards, each a conlimit process in its own network namespace with its own address (4 simulated client
 * machines), against one blocking-pool W=4 B=16 holding for ever in the server namespace, started at one instant and
 * merged with conlimit merge. The merged folder must show what one client shows (README, quickstart): the hold probe
 * finds W + B + 1 = 21 held (4 served), the server's own table agreeing; after the workers are occupied, a burst of 100
 * from 4 machines gets exactly B + 1 = 17 in and 83 time out. The shards' start spread is reported (goal: under 5 ms;
 * asserted under 100 ms, a tolerance for a 2-core machine running 4 JVMs and the server, and printed with each shard's
 * release and first connect()). Needs root (namespaces).
 */
class FleetLabTest {
    private static final int SHARDS = 4;
    private static final int PORT = 8080;
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);
    /** How far ahead the start instant is: 4 JVMs start on a busy 2-core machine within it. */
    private static final long START_MARGIN_MS = 15_000;
    /**
     * The server runs at nice 10: five simulated machines share two cores here, and at equal priority the server's
     * acceptor (woken by the first shards' connects) took the CPU that released shards waited for, 1.4 ms in a perf
     * sched trace; on machines of their own the server's work never delays a shard. Its results here do not depend
     * on its speed (W workers hold for ever; the kernel's accept queue decides). Measured: spreads of 1.8 to 5.0 ms
     * in 3 runs at nice 0, 0.4 to 3.4 ms in 8 runs at nice 10 (docs/fleet.md).
     */
    private static final int SERVER_NICE = 10;

    @TempDir
    Path tmp;

    @BeforeEach
    void needsLab() {
        LabTesting.assumeLabAvailable();
    }

    private static final String HOLD = """
            name: fleet-hold
            target: {host: 192.0.2.1, port: 8080}
            client: {probe: banner, connect-timeout: 1500ms, hold: until-end}
            load:
              - hold: {gap: 10ms, max-held: 200, stop-after: 3}
              # shards end independently: one that closed its connections while another still probed would free room
              # for it (the sum of the shards' maxima would then exceed what the server held at once): hold them longer
              - pause: 4s
            expect:
              - held_max == 21
              - served_max == 4
              - server_sockets.server_has == 21
              - outcomes.refused == 0
            """;

    /** The burst run docs/fleet.md shows: the shipped scenario, its target replaced by each shard's --target. */
    private static final Path BURST = Path.of("../scenarios/fleet-burst.yaml");


    @Test
    void fourShardsInFourNamespacesMergeIntoWhatOneClientMeasures() throws Exception {
        String runId = LabTesting.testRunId("flt");
        List<NetworkNamespace> extra = new ArrayList<>();
        try (LabNetwork lab = LabNetwork.create(LabSpec.builder().runId(runId).build())) {
            String srv = lab.server().name();
            String prefix = lab.serverAddress().substring(0, lab.serverAddress().lastIndexOf('.') + 1); // 198.18.n.
            List<String> clientNs = new ArrayList<>(List.of(lab.client().name()));
            List<String> targets = new ArrayList<>(List.of(lab.serverAddress()));
            String owner = LabOwner.current().alias();
            for (int k = 1; k < SHARDS; k++) { // 3 more client machines, each on its own /30 to the server namespace
                NetworkNamespace ns = NetworkNamespace.create(LabNames.PREFIX + runId + "-c" + k + LabNames.CLIENT_SUFFIX);
                extra.add(ns);
                String sif = "fl-srv" + k;
                String cif = "fl-cli" + k;
                ip("link", "add", sif, "netns", srv, "type", "veth", "peer", "name", cif, "netns", ns.name());
                ip("-n", ns.name(), "link", "set", cif, "alias", owner);
                ip("-n", srv, "addr", "add", prefix + (4 * k + 1) + "/30", "dev", sif);
                ip("-n", ns.name(), "addr", "add", prefix + (4 * k + 2) + "/30", "dev", cif);
                ip("-n", srv, "link", "set", sif, "up");
                ip("-n", ns.name(), "link", "set", cif, "up");
                ip("-n", ns.name(), "link", "set", "lo", "up");
                clientNs.add(ns.name());
                targets.add(prefix + (4 * k + 1));
            }
            for (int k = 1; k < SHARDS; k++) {
                String ns = clientNs.get(k);
                String cif = "fl-cli" + k;
                LabTesting.await(cif + " has carrier", Duration.ofSeconds(5), () -> {
                    try {
                        return Commands.run(List.of("ip", "-n", ns, "-o", "link", "show", "dev", cif), 10).contains("LOWER_UP");
                    } catch (IOException e) {
                        return false;
                    }
                });
            }

            JsonNode hold = fleet(lab, clientNs, targets, "hold", HOLD);
            assertEquals(21, hold.path("held_max").asInt(), hold.toString());
            assertEquals(4, hold.path("served_max").asInt());
            assertEquals(21, hold.path("server_sockets").path("server_has").asInt(), hold.path("server_sockets").toString());
            assertEquals(21, hold.path("limit").path("measured").asInt(), hold.path("limit").toString());

            JsonNode burst = fleet(lab, clientNs, targets, "burst", Files.readString(BURST));
            // B + 1 = 17 get in, as for one client, or 18 as for one client too: a SYN can pass the kernel's queue check
            // on the other CPU while the 17th handshake completes (README, the demo's burst); the census says which
            int in = burst.path("phases").path(2).path("outcomes").path("connected-unserved").asInt();
            assertTrue(in == 17 || in == 18, burst.path("phases").toString());
            assertEquals(100 - in, burst.path("phases").path(2).path("outcomes").path("connect-timeout").asInt());
            assertEquals(100, burst.path("phases").path(2).path("connections").asInt());
            int has = burst.path("server_sockets").path("server_has").asInt();
            assertTrue(has == 21 || has == 22 && in == 18, burst.path("server_sockets").toString());
            assertTrue(burst.path("kernel").path("counters_delta").path("ListenOverflows").asLong() >= 83, burst.path("kernel").toString());
        } finally {
            for (NetworkNamespace ns : extra) {
                LabCleaner.stopProcessesIn(ns.name());
                ns.close();
            }
        }
    }

    /** Runs the scenario as 4 shards (one per client namespace), merges them, checks the expectations passed; the merged summary. */
    private JsonNode fleet(LabNetwork lab, List<String> clientNs, List<String> targets, String tag, String yaml) throws Exception {
        Path file = tmp.resolve(tag + ".yaml");
        Files.writeString(file, yaml);
        List<String> serve = new ArrayList<>(List.of("nice", "-n", Integer.toString(SERVER_NICE)));
        serve.addAll(LabProcesses.targetServerCommand(List.of("serve", "blocking-pool", "--bind", "0.0.0.0", "--port",
                Integer.toString(PORT), "--workers", "4", "--backlog", "16", "--hold", "forever")));
        try (LabProcess server = lab.startInServer("target-" + tag, serve, null)) {
            server.awaitLine(LabProcesses.TARGET_START_LINE, LabTesting.CHILD_TIMEOUT);
            String at = Instant.now().plusMillis(START_MARGIN_MS).truncatedTo(ChronoUnit.MILLIS).toString();
            List<LabProcess> shards = new ArrayList<>();
            List<Path> dirs = new ArrayList<>();
            try {
                for (int k = 0; k < SHARDS; k++) {
                    Path dir = tmp.resolve(tag + "-shard" + k);
                    dirs.add(dir);
                    List<String> cmd = LabProcesses.conlimitCommand(List.of("run", file.toString(),
                            "--target", targets.get(k) + ":" + PORT, "--server-netns", lab.server().name(),
                            "--shard", k + "/" + SHARDS, "--start-at", at, "--out", dir.toString(), "--no-report"));
                    List<String> inNs = new ArrayList<>(List.of("ip", "netns", "exec", clientNs.get(k)));
                    inNs.addAll(cmd);
                    shards.add(LabProcess.start(tag + "-shard" + k, inNs, null));
                }
                for (LabProcess p : shards) {
                    int code = p.waitFor(RUN_TIMEOUT);
                    assertEquals(0, code, p.label() + ":\n" + String.join("\n", p.lines()));
                }
            } finally {
                shards.forEach(LabProcess::close);
            }
            Path merged = tmp.resolve(tag + "-merged");
            List<String> args = new ArrayList<>(List.of("merge"));
            dirs.forEach(d -> args.add(d.toString()));
            args.addAll(List.of("--out", merged.toString(), "--no-report"));
            int code = Main.execute(args.toArray(String[]::new));
            JsonNode s = new ObjectMapper().readTree(merged.resolve("summary.json").toFile());
            assertEquals(0, code, "the scenario's expectations on the merged folder: " + s.path("expectations") + "; " + s.path("fleet"));
            JsonNode fleet = s.path("fleet");
            assertEquals(SHARDS, fleet.path("shards").asInt());
            assertTrue(fleet.path("not_together").isNull(), fleet.toString());
            double spread = fleet.path("launch_spread_ms").asDouble(-1);
            StringBuilder each = new StringBuilder();
            for (JsonNode d : fleet.path("shard_runs")) {
                each.append(String.format(java.util.Locale.ROOT, " [shard %d: released %.3f ms, first connect() %.3f ms after the instant]",
                        d.path("index").asInt(), d.path("release_after_start_ms").asDouble(), d.path("launch_after_start_ms").asDouble()));
            }
            System.out.println("fleet " + tag + ": the 4 shards' first connect() calls within " + spread + " ms; late shards "
                    + fleet.path("late_shards") + each);
            assertTrue(spread >= 0 && spread < 100, "the shards started together: " + fleet);
            assertTrue(s.path("server_sockets").path("taken").asBoolean(), "4 namespaces: the censuses add up: " + s.path("server_sockets"));
            assertFalse(s.path("expectations").isEmpty());
            return s;
        }
    }

    private static void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Commands.run(cmd, 30);
    }
}
