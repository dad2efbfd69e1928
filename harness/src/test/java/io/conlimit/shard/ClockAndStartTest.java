package io.conlimit.shard;

import io.conlimit.agent.AgentCommand;
import io.conlimit.evidence.AgentClient;
import io.conlimit.kernel.ChildJava;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shard's clock check against a reference (the agent's /clock) and its wait for the start instant. */
class ClockAndStartTest {
    @Test
    void theOffsetOfAClockAheadIsFoundWithinTheRoundTripsUncertainty() throws IOException {
        long ahead = 250_000_000L; // the reference's clock 250 ms ahead of ours
        ClockCheck c = ClockCheck.measure("fake", () -> StartAt.wallNanos() + ahead, 8);
        assertTrue(Math.abs(c.offsetNanos() - ahead) <= c.uncertaintyNanos() + 1_000, c.toString());
        assertEquals(8, c.rounds());
    }

    @Test
    void anAgentWithoutMicrosecondsIsNamed() {
        IOException e = assertThrows(IOException.class, () -> ClockCheck.agentWallNanos(
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("now_epoch_ms", 1)));
        assertTrue(e.getMessage().contains("now_epoch_us"), e.getMessage());
    }

    @Test
    void theWaitEndsAtTheInstantNotBefore() throws InterruptedException {
        long target = StartAt.wallNanos() + 40_000_000L;
        long returned = StartAt.awaitWall(target, 0);
        assertTrue(returned >= target, "returned " + (target - returned) + " ns before the instant");
        assertTrue(returned - target < 20_000_000L, "returned " + (returned - target) / 1e6 + " ms late (tolerance 20 ms, a busy machine)");
        long past = StartAt.wallNanos() - 1_000_000_000L;
        long at = StartAt.awaitWall(past, 0);
        assertTrue(at - StartAt.wallNanos() < 1_000_000L, "an instant already past returns at once");
        // a reference clock 10 s ahead: its instant "now + 10 s" is our now
        long t0 = StartAt.wallNanos();
        StartAt.awaitWall(t0 + 10_000_000_000L, 10_000_000_000L);
        assertTrue(StartAt.wallNanos() - t0 < 1_000_000_000L, "waited on the reference's clock");
    }

    @Test
    void aRealAgentsClockIsThisMachinesWithinTheUncertainty() throws Exception {
        try (ChildJava agent = ChildJava.start(ChildJava.command(AgentCommand.class, "--listen", "127.0.0.1:0"))) {
            String line = agent.await("agent listening on ", 30_000);
            String hostPort = line.split(" ")[3];
            try (AgentClient client = AgentClient.builder(hostPort).build()) {
                ClockCheck c = ClockCheck.measure(hostPort, () -> ClockCheck.agentWallNanos(client.get("/clock")), 8);
                // one machine, one clock: the offset is 0 give or take half the best round trip (and the us rounding)
                assertTrue(Math.abs(c.offsetNanos()) <= c.uncertaintyNanos() + 1_000, c.toString());
                assertTrue(Math.abs(Instant.now().toEpochMilli() - client.get("/clock").path("now_epoch_us").asLong() / 1000) < 1000);
            }
        }
    }
}
