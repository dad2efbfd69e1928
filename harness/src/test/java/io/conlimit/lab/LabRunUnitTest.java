package io.conlimit.lab;

import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab run's commands, built without creating anything (no root needed). */
class LabRunUnitTest {
    @Test
    void aServerConfigBecomesServeWordsTheLabAddsAddressAndPortTo() {
        ServerConfig c = ServerConfig.builder(ServerKind.BLOCKING_POOL).workers(2).backlog(BacklogRequest.max())
                .hold(new HoldSpec.Fixed(Duration.ofMillis(200))).build();
        LabRun r = LabRun.builder().spec(LabSpec.builder().runId("abcd1234").build()).server(c)
                .runArgs(List.of("--burst", "600")).outDir(Path.of("/tmp/x")).build();
        assertEquals(List.of("serve", "blocking-pool", "--backlog", "max", "--workers", "2", "--hold", "200ms",
                "--bind", "198.18.1.1", "--port", "8080"), r.serverCommandArgs("198.18.1.1"));
        // the lab serves one of conlimit's own targets, which greet: the client checks the greeting
        assertEquals(List.of("run", "--target", "198.18.1.1:8080", "--out", "/tmp/x", "--server-netns", "ns-srv",
                "--probe", "banner", "--burst", "600"), r.clientCommandArgs("198.18.1.1", "ns-srv"));
    }

    @Test
    void theLabsOwnFlagsAreRefusedInTheRunArguments() {
        LabRun.Builder b = LabRun.builder().spec(LabSpec.builder().build()).serveArgs(List.of("blocking-pool"))
                .outDir(Path.of("/tmp/x"));
        for (String flag : List.of("--target", "--out", "--server-netns", "--agent")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.runArgs(List.of("--burst", "5", flag, "v")).build());
            assertTrue(e.getMessage().startsWith(flag + " is set by the lab"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> b.runArgs(List.of("scenario.yaml")).build());
    }

    @Test
    void serveWordsAreCheckedBeforeAnythingStarts() {
        assertEquals(List.of("blocking-pool", "--workers", "2"), LabServe.parse("--serve", " blocking-pool  --workers 2 "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabServe.parse("--serve", "nope"))
                .getMessage().contains("unknown server kind 'nope'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabServe.parse("--serve", "blocking-pool --port 9"))
                .getMessage().startsWith("--serve: --port is the lab's to choose"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> LabServe.parse("--serve", " "))
                .getMessage().startsWith("--serve needs the server kind"));
    }

    @Test
    void aScenarioLabGivesTheSysctlsTheServerAndTheScenarioAsTheClientsRun() {
        ServerConfig c = ServerConfig.builder(ServerKind.THREAD_POOL).workers(8).queue(16).backlog(BacklogRequest.of(64))
                .hold(new HoldSpec.Forever()).build();
        io.conlimit.scenario.LabTarget lab = new io.conlimit.scenario.LabTarget(io.conlimit.scenario.LabTarget.Kind.NETNS,
                java.util.Map.of("net.core.somaxconn", "128"), java.util.Map.of("net.ipv4.tcp_syn_retries", "3"), c);
        LabRun r = LabRun.builder().fromScenarioLab(lab).scenarioFile(Path.of("/s/ab.yaml")).outDir(Path.of("/tmp/y"))
                .runArgs(List.of("--set", "load[0].burst=10")).build();
        assertEquals(List.of("serve", "thread-pool", "--backlog", "64", "--workers", "8", "--hold", "forever",
                "--queue", "16", "--bind", "198.18.2.1", "--port", "8080"), r.serverCommandArgs("198.18.2.1"));
        assertEquals(List.of("run", "/s/ab.yaml", "--target", "198.18.2.1:8080", "--out", "/tmp/y", "--server-netns", "n",
                "--set", "load[0].burst=10"), r.clientCommandArgs("198.18.2.1", "n"));
    }
}
