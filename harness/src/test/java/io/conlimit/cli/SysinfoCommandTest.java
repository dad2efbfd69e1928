package io.conlimit.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.agent.AgentServer;
import io.conlimit.kernel.Sysctls;
import io.conlimit.kernel.SynRetrySchedule;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SysinfoCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void localJsonHasTheSettingsAndTheSchedule() throws Exception {
        String[] r = run("sysinfo", "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode j = new ObjectMapper().readTree(r[1]);
        Sysctls here = new Sysctls();
        assertEquals(String.valueOf(here.somaxconn()), j.path("sysctls").path("net.core.somaxconn").asText());
        SynRetrySchedule s = SynRetrySchedule.fromSysctls(here);
        assertEquals(s.failureMillis() / 1000.0, j.path("syn_retry_schedule").path("connect_fails_at_s").asDouble());
        assertEquals(s.retransmitMillis().size(), j.path("syn_retry_schedule").path("retransmit_at_s").size());
    }

    @Test
    void textNamesEachSettingAndTheSchedule() {
        String[] r = run("sysinfo");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("net.core.somaxconn") && r[1].contains("open files (soft / hard)"), r[1]);
        assertTrue(r[1].contains(SynRetrySchedule.fromSysctls(new Sysctls()).describe()), r[1]);
    }

    @Test
    void throughAnAgentWithAndWithoutItsToken() throws Exception {
        try (AgentServer agent = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), "tok", 10)) {
            String hp = "127.0.0.1:" + agent.address().getPort();
            String[] ok = run("sysinfo", "--agent", hp, "--token", "tok", "--json");
            assertEquals("0", ok[0], ok[2]);
            JsonNode j = new ObjectMapper().readTree(ok[1]);
            assertEquals("agent " + hp, j.path("side").asText());
            assertEquals(String.valueOf(new Sysctls().somaxconn()), j.path("sysctls").path("net.core.somaxconn").asText());
            String[] refused = run("sysinfo", "--agent", hp);
            assertEquals("3", refused[0]);
            assertTrue(refused[2].contains("HTTP 401"), refused[2]);
            assertEquals("2", run("sysinfo", "--agent", "nonsense")[0]);
            // the name run uses, and the environment variable both take
            assertEquals("0", run("sysinfo", "--agent", hp, "--agent-token", "tok")[0]);
            AgentTokens.environment = name -> AgentTokens.ENV.equals(name) ? "tok" : null;
            try {
                String[] fromEnv = run("sysinfo", "--agent", hp);
                assertEquals("0", fromEnv[0], fromEnv[2]);
                assertEquals("3", run("sysinfo", "--agent", hp, "--agent-token", "wrong")[0], "the flag wins over the environment");
            } finally {
                AgentTokens.environment = System::getenv;
            }
        }
    }

    @Test
    void theOldTokenFlagIsAHiddenAlias() {
        String usage = Main.commandLine().getSubcommands().get("sysinfo").getUsageMessage();
        assertTrue(usage.contains("--agent-token"), usage);
        assertTrue(!usage.contains("--token"), usage);
    }
}
