package io.conlimit.docs;

import com.fasterxml.jackson.databind.JsonNode;
import io.conlimit.lab.LabNetwork;
import io.conlimit.lab.LabProcess;
import io.conlimit.lab.LabSpec;
import io.conlimit.results.ResultsFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Follows docs/two-machines.md literally between two machines made of network namespaces joined by a veth pair
 * (a {@link LabNetwork} with no sysctls: the guide sets somaxconn itself): every command of every block, on the
 * machine its annotation names, the server's from a directory holding nothing but conlimit-target.jar, the
 * client's from a mirror of the repository. The one substitution: the guide's {@code export SERVER=...} gets the
 * server namespace's address. Then the guide's claims are checked: the start lines' backlogs, the address
 * {@code serve} prints, the not-restarted warning, the compare gate (exit 0), and the first "when something is
 * wrong" case (a server on loopback: refused, and the run says nothing listened there). Needs root (skipped
 * otherwise, with the reason) and the built jars.
 */
class TwoMachinesGuideTest {
    private static final Path GUIDE = DocShell.REPO.resolve("docs/two-machines.md");
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private final Map<String, LabProcess> background = new LinkedHashMap<>();
    private final Map<String, List<String>> outputs = new LinkedHashMap<>();

    @Test
    void theGuideWorksWhenFollowedLiterally() throws Exception {
        String why = LabNetwork.unavailableReason().orElse(null);
        assumeTrue(why == null, () -> "two-machine guide test skipped: " + why);
        String jars = DocShell.jarsNotReady().orElse(null);
        assumeTrue(jars == null, () -> "two-machine guide test skipped: " + jars);

        Path serverHome = Files.createDirectories(dir.resolve("server-home"));
        Files.copy(DocShell.TARGET_JAR, serverHome.resolve("conlimit-target.jar"));
        Path clientHome = DocShell.mirror(dir.resolve("client-home"));
        Map<String, String> serverEnv = new LinkedHashMap<>();
        Map<String, String> clientEnv = new LinkedHashMap<>();

        DocBlocks guide = DocBlocks.read(GUIDE);
        try (LabNetwork lab = LabNetwork.create(LabSpec.builder().build())) {
            String server = lab.serverAddress();
            int blocks = 0;
            for (DocBlocks.Block b : guide.blocks()) {
                if (b.annotation().containsKey("skip")) {
                    System.out.println("two-machines.md:" + b.line() + " not run: " + b.get("skip", ""));
                    continue;
                }
                String machine = b.get("machine", "");
                assertTrue(machine.equals("server") || machine.equals("client"),
                        "two-machines.md:" + b.line() + " names its machine (machine=server|client): " + b.annotation());
                boolean onServer = machine.equals("server");
                if (b.annotation().containsKey("stop")) {
                    stop(b.get("stop", ""));
                }
                Map<String, String> env = onServer ? serverEnv : clientEnv;
                Path home = onServer ? serverHome : clientHome;
                int bg = Integer.parseInt(b.get("background", "0"));
                for (int i = 0; i < b.commands().size(); i++) {
                    String cmd = b.commands().get(i);
                    String where = "two-machines.md:" + b.line() + " (" + machine + ") " + cmd;
                    if (cmd.startsWith("export ")) {
                        String[] kv = cmd.substring("export ".length()).trim().split("=", 2);
                        env.put(kv[0], kv[0].equals("SERVER") ? server : kv[1]);
                        continue;
                    }
                    List<String> inNs = onServer ? lab.execInServer(DocShell.bash(home, env, cmd))
                            : lab.execInClient(DocShell.bash(home, env, cmd));
                    if (i + 1 == bg) {
                        String name = b.get("name", b.get("background", ""));
                        LabProcess p = LabProcess.start(name, inNs, line -> System.out.println("[" + machine + " " + name + "] " + line));
                        background.put(name, p);
                        String ready = b.get("ready", "");
                        p.awaitLine(l -> l.startsWith(ready), Duration.ofSeconds(90));
                        outputs.computeIfAbsent(name, k -> new ArrayList<>()).add(String.join("\n", p.lines()));
                    } else {
                        DocShell.Result r = DocShell.run(machine, inNs, COMMAND_TIMEOUT);
                        assertEquals(b.exit(i), r.code(), where + "\n" + r.tail());
                        outputs.computeIfAbsent(cmd, k -> new ArrayList<>()).add(r.output());
                    }
                }
                blocks++;
            }
            assertTrue(blocks >= 6, "the guide's blocks ran: " + blocks);
            checkTheGuidesClaims(server, clientHome);
            whenTheServerListensOnLoopbackOnly(lab, server, serverHome, serverEnv, clientHome, clientEnv);
        } finally {
            background.values().forEach(LabProcess::close);
            DocShell.unmirror(clientHome);
        }
    }

    private void stop(String name) throws Exception {
        LabProcess p = background.remove(name);
        if (p == null) {
            fail("the guide stops '" + name + "', which it never started");
        }
        p.close(); // SIGTERM: what Ctrl-C does to serve (it prints its stopped line and exits 0)
        assertEquals(0, p.waitFor(Duration.ofSeconds(30)), name + " stops cleanly: " + p.lines());
        assertTrue(p.lines().stream().anyMatch(l -> l.startsWith("stopped kind=blocking-pool")), p.lines().toString());
    }

    private void checkTheGuidesClaims(String server, Path client) throws Exception {
        List<String> serverStarts = outputs.get("server");
        assertEquals(2, serverStarts.size(), "the server was started twice");
        assertTrue(serverStarts.get(0).contains(" backlog.effective=128 ") && serverStarts.get(0).contains(" somaxconn=128 "),
                serverStarts.get(0));
        assertTrue(serverStarts.get(0).contains("\nclients on other machines: --target " + server + ":8080"), serverStarts.get(0));
        assertTrue(serverStarts.get(1).contains(" backlog.effective=4096 ") && serverStarts.get(1).contains(" somaxconn=4096 "),
                serverStarts.get(1));

        String notRestarted = outputs.entrySet().stream().filter(e -> e.getKey().contains("--out results/not-restarted"))
                .map(e -> e.getValue().get(0)).findFirst().orElseThrow();
        assertTrue(notRestarted.contains("conlimit run: WARNING: the listener's backlog is 128 (ss Send-Q) while"
                + " net.core.somaxconn on the server is now 4096: a listener keeps the backlog it got from listen()"), notRestarted);
        JsonNode warnings = ResultsFolder.load(client.resolve("results/not-restarted")).requireSummary().path("warnings");
        assertTrue(warnings.path(0).asText().startsWith("the listener's backlog is 128"), warnings.toString());

        JsonNode a = ResultsFolder.load(client.resolve("results/somaxconn-128")).requireSummary();
        assertEquals("agent " + server + ":7070", a.path("kernel").path("source").asText(), a.path("kernel").toString());
        assertTrue(a.path("warnings").isMissingNode(), "no warning when the backlog is somaxconn: " + a.path("warnings"));
        JsonNode b = ResultsFolder.load(client.resolve("results/somaxconn-4096")).requireSummary();
        assertEquals(600, b.path("outcomes").path("ok").asLong() + b.path("outcomes").path("connected-unserved").asLong(),
                "all 600 handshakes at once against 4096: " + b.path("outcomes"));
    }

    /** The guide's first "when something is wrong": the server started without --bind listens on loopback only. */
    private void whenTheServerListensOnLoopbackOnly(LabNetwork lab, String server, Path serverHome, Map<String, String> serverEnv,
                                                    Path clientHome, Map<String, String> clientEnv) throws Exception {
        stop("server");
        LabProcess loopback = LabProcess.start("loopback-server", lab.execInServer(DocShell.bash(serverHome, serverEnv,
                "java -jar conlimit-target.jar serve blocking-pool --port 8080 --backlog max --workers 2 --hold 200ms")), null);
        background.put("loopback-server", loopback);
        loopback.awaitLine(l -> l.startsWith("warning: listening on 127.0.0.1:8080 only (loopback): no other machine can connect"),
                Duration.ofSeconds(90));
        DocShell.Result r = DocShell.run("client", lab.execInClient(DocShell.bash(clientHome, clientEnv,
                "./conlimit run --target $SERVER:8080 --agent $SERVER:7070 --burst 10 --probe banner --out results/loopback")),
                COMMAND_TIMEOUT);
        assertEquals(0, r.code(), r.tail());
        assertTrue(r.output().contains("conlimit run: WARNING: nothing listened on " + server + ":8080 on the server's side in any of its"),
                r.tail());
        assertTrue(r.output().contains("(loopback only: no other machine can connect;"), r.tail());
        JsonNode s = ResultsFolder.load(clientHome.resolve("results/loopback")).requireSummary();
        assertEquals(10, s.path("outcomes").path("refused").asLong(), s.path("outcomes").toString());
        assertEquals("inconclusive", s.path("consistency").path("status").asText(), s.path("consistency").toString());
        assertEquals(-1, s.path("kernel").path("backlog_seen").asInt(), s.path("kernel").toString());
    }
}
