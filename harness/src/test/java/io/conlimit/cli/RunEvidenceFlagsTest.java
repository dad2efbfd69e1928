package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.run.EvidenceObserver;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run --agent / --agent-token / --no-kernel-evidence}: the kernel evidence observer comes first. */
class RunEvidenceFlagsTest {
    private static RunCommand parse(String... args) {
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void evidenceIsTheFirstObserverByDefaultAndWithAnAgent() {
        assertInstanceOf(EvidenceObserver.class, parse("--burst", "1").observers(null).get(0));
        assertInstanceOf(EvidenceObserver.class,
                parse("--burst", "1", "--agent", "10.0.0.5:7070", "--agent-token", "t").observers(null).get(0));
    }

    @Test
    void aScenariosAgentTakesItsTokenFromTheEnvironment(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        try (io.conlimit.agent.AgentServer agent = io.conlimit.agent.AgentServer.start(
                new java.net.InetSocketAddress("127.0.0.1", 0), "env-secret", 10);
             io.conlimit.target.TargetServer server = io.conlimit.target.TargetServers.start(RunFlags.demoServer())) {
            java.nio.file.Path file = dir.resolve("remote.yaml");
            java.nio.file.Files.writeString(file, "target: {host: 127.0.0.1, port: " + server.address().getPort()
                    + ", agent: '127.0.0.1:" + agent.address().getPort() + "'}\nload:\n  - burst: 3\n");
            assertEquals(ExitCodes.USAGE, Main.execute("run", file.toString(), "--out", dir.resolve("no-token").toString()),
                    "without a token the agent refuses (HTTP 401): a configuration error, before anything starts");
            assertFalse(java.nio.file.Files.exists(dir.resolve("no-token")), "no results folder is left behind");
            AgentTokens.environment = name -> AgentTokens.ENV.equals(name) ? "env-secret" : null;
            try {
                java.nio.file.Path out = dir.resolve("env-token");
                assertEquals(ExitCodes.OK, Main.execute("run", file.toString(), "--out", out.toString()));
                com.fasterxml.jackson.databind.JsonNode k = io.conlimit.results.ResultsFolder.load(out).requireSummary().path("kernel");
                assertEquals("agent 127.0.0.1:" + agent.address().getPort(), k.path("source").asText(), k.toString());
                assertEquals(8, k.path("backlog_seen").asInt(), k.toString());
            } finally {
                AgentTokens.environment = System::getenv;
            }
        }
    }

    @Test
    void noKernelEvidenceSkipsIt() {
        assertTrue(parse("--burst", "1", "--no-kernel-evidence").observers(null).stream().noneMatch(o -> o instanceof EvidenceObserver));
    }

    private static String usageError(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = parse(args).call(config -> {
            throw new AssertionError("nothing may start on a usage error");
        }, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(ExitCodes.USAGE, code);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void contradictionsAndMalformedAgentsAreUsageErrorsNamingTheFlag() {
        assertTrue(usageError("--burst", "1", "--agent", "nohost").contains("--agent"));
        assertTrue(usageError("--burst", "1", "--agent-token", "t").contains("--agent-token needs --agent"));
        assertTrue(usageError("--burst", "1", "--no-kernel-evidence", "--agent", "h:1").contains("--no-kernel-evidence"));
    }
}
