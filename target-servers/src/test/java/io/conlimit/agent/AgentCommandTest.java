package io.conlimit.agent;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AgentCommandTest {
    @Test
    void defaultBindIsLoopback() {
        AgentCommand cmd = new AgentCommand();
        new CommandLine(cmd).parseArgs();
        assertEquals("127.0.0.1:7070", cmd.listen);
        InetSocketAddress a = AgentCommand.parseListen(cmd.listen);
        assertTrue(a.getAddress().isLoopbackAddress());
        assertEquals(7070, a.getPort());
        assertEquals(10.0, cmd.rate);
    }

    @Test
    void parsesListenAddresses() {
        assertEquals(0, AgentCommand.parseListen("127.0.0.1:0").getPort());
        assertTrue(AgentCommand.parseListen("[::1]:7071").getAddress().isLoopbackAddress());
        assertThrows(IllegalArgumentException.class, () -> AgentCommand.parseListen("7070"));
        assertThrows(IllegalArgumentException.class, () -> AgentCommand.parseListen("127.0.0.1:x"));
        assertThrows(IllegalArgumentException.class, () -> AgentCommand.parseListen("127.0.0.1:70000"));
    }

    @Test
    void badListenIsAUsageError() {
        CommandLine cl = new CommandLine(new AgentCommand());
        cl.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(2, cl.execute("--listen", "nonsense"));
    }

    @Test
    void aListenerOtherMachinesCanReachNeedsATokenOrTheFlag() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = new CommandLine(new AgentCommand());
        cl.setErr(new java.io.PrintWriter(err));
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(AgentCommand.TOKEN_ENV) == null,
                "CONLIMIT_AGENT_TOKEN is set in this environment: the agent would use it");
        assertEquals(2, cl.execute("--listen", "0.0.0.0:0"));
        assertTrue(err.toString().contains("--listen 0.0.0.0:0 can be reached from other machines and no token is set"),
                err.toString());
        assertTrue(err.toString().contains("--no-token-on-network"), err.toString());
    }

    @Test
    void startLineSaysWhereAndHow() throws Exception {
        try (AgentServer a = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), "t0k", 10)) {
            assertEquals("agent listening on 127.0.0.1:" + a.address().getPort() + " token=required rate=10Hz",
                    AgentCommand.startLine(a));
        }
        try (AgentServer a = AgentServer.start(new InetSocketAddress("127.0.0.1", 0), null, 2.5)) {
            assertTrue(AgentCommand.startLine(a).endsWith(" token=none rate=2.5Hz"));
        }
    }
}
