package io.conlimit.lab;

import io.conlimit.cli.LabCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab's pieces that need no root. */
class LabUnitTest {
    @Test
    void namesCarryThePrefixAndTheRunId() {
        assertEquals("conlimit-lab-ab12-srv", LabNames.serverNamespace("ab12"));
        assertEquals("conlimit-lab-ab12-cli", LabNames.clientNamespace("ab12"));
        assertEquals(Optional.of("x-1"), LabNames.runIdOf("conlimit-lab-x-1-cli"));
        assertEquals(Optional.empty(), LabNames.runIdOf("conlimit-lab-x-1"));
        assertEquals(Optional.empty(), LabNames.runIdOf("other-x-srv"));
        assertThrows(IllegalArgumentException.class, () -> LabNames.serverNamespace("Bad/Id"));
        assertTrue(LabNames.newRunId().matches("[0-9a-f]{8}"));
    }

    @Test
    void addressesAreTheBenchmarkingRangeAndTheFirstFreeSubnet() {
        Set<Integer> used = new TreeSet<>();
        LabAddresses.subnetsIn("2: lab-srv    inet 198.18.1.1/30 scope global lab-srv\n"
                + "2: lab-cli    inet 198.18.2.2/30 scope global lab-cli\n"
                + "3: eth0    inet 10.0.0.5/24 scope global eth0", used);
        assertEquals(Set.of(1, 2), used);
        LabAddresses a = LabAddresses.firstFree(used).orElseThrow();
        assertEquals("198.18.3.1/30", a.serverCidr());
        assertEquals("198.18.3.2", a.clientAddress());
        Set<Integer> all = new TreeSet<>();
        for (int n = 1; n <= 254; n++) {
            all.add(n);
        }
        assertEquals(Optional.empty(), LabAddresses.firstFree(all));
    }

    @Test
    void ownerAliasRoundTripsAndTellsALiveProcessFromAGoneOne() {
        LabOwner me = LabOwner.current();
        assertTrue(me.startTicks() > 0);
        assertEquals(Optional.of(me), LabOwner.parse("2: lab-srv@if2: <UP> ... \\    alias " + me.alias()));
        assertTrue(me.isAlive());
        assertFalse(new LabOwner(me.pid(), me.startTicks() + 1).isAlive(), "a reused pid is not the owner");
        assertEquals(Optional.empty(), LabOwner.parse("2: lab-srv@if2: <UP> mtu 1500"));
    }

    @Test
    void specAcceptsOnlyNetworkNamespaceSettings() {
        LabSpec s = LabSpec.builder().runId("r1").serverSysctl("net.core.somaxconn", "128")
                .clientSysctl("net.ipv4.ip_local_port_range", "20000 60999").build();
        assertEquals(Map.of("net.core.somaxconn", "128"), s.serverSysctls());
        assertEquals("20000 60999", s.clientSysctls().get("net.ipv4.ip_local_port_range"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabSpec.builder().clientSysctl("kernel.pid_max", "100"));
        assertTrue(e.getMessage().startsWith("lab.client.sysctls: 'kernel.pid_max' is not a network-namespace setting"));
        assertThrows(IllegalArgumentException.class, () -> LabSpec.builder().serverSysctl("net.core.somaxconn", " "));
    }

    @Test
    void startLineKeyValues() {
        Map<String, String> kv = LabProcesses.keyValues(
                "serving kind=blocking-pool address=198.18.1.1:8080 backlog.effective=128 somaxconn=128");
        assertEquals("128", kv.get("backlog.effective"));
        assertEquals("198.18.1.1:8080", kv.get("address"));
        assertFalse(kv.containsKey("serving"));
        assertTrue(LabProcesses.TARGET_START_LINE.test("serving kind=x"));
    }

    @Test
    void childCommandsUseThisJvm() {
        List<String> cmd = LabProcesses.targetServerCommand(List.of("serve", "blocking-pool"));
        assertTrue(cmd.get(0).endsWith("/bin/java"));
        assertEquals(List.of("-cp", LabProcesses.absoluteClassPath(System.getProperty("java.class.path")),
                LabProcesses.TARGET_MAIN, "serve", "blocking-pool"), cmd.subList(1, cmd.size()));
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals(cwd + "/harness/target/conlimit.jar:/opt/x.jar",
                LabProcesses.absoluteClassPath("harness/target/conlimit.jar:/opt/x.jar"));
    }

    @Test
    void awaitLineReturnsTheMatchOrSaysWhyNot() throws IOException {
        try (LabProcess p = LabProcess.start("echo", List.of("bash", "-c", "echo starting; echo ready port=1; exit 3"), null)) {
            assertEquals("ready port=1", p.awaitLine(l -> l.startsWith("ready"), Duration.ofSeconds(30)));
            IOException e = assertThrows(IOException.class, () -> p.awaitLine(l -> l.startsWith("never"), Duration.ofSeconds(30)));
            assertTrue(e.getMessage().startsWith("echo exited (code 3) before printing the expected line"), e.getMessage());
            assertTrue(e.getMessage().contains("starting"), e.getMessage());
            assertEquals(3, p.waitFor(Duration.ofSeconds(30)));
        }
        try (LabProcess p = LabProcess.start("quiet", List.of("sleep", "30"), null)) {
            IOException e = assertThrows(IOException.class, () -> p.awaitLine(l -> true, Duration.ofMillis(200)));
            assertTrue(e.getMessage().contains("did not print the expected line within 200 ms; it printed nothing"), e.getMessage());
        }
    }

    @Test
    void closeKeepsWhatTheProcessPrintsAsItStops() throws IOException {
        LabProcess p = LabProcess.start("trap", List.of("bash", "-c",
                "trap 'echo final stats; exit 0' TERM; echo ready; for i in $(seq 1200); do sleep 0.1; done"), null);
        p.awaitLine("ready"::equals, Duration.ofSeconds(30));
        p.close();
        assertFalse(p.isAlive());
        assertTrue(p.lines().contains("final stats"), p.lines().toString());
    }

    @Test
    void dockerProxyListenersAreRecognisedInSsOutput() {
        assertEquals(Optional.of("20892"), PublishedPortCheck.proxyPid(
                "LISTEN 0      4096   0.0.0.0:18080 0.0.0.0:* users:((\"docker-proxy\",pid=20892,fd=4))"));
        assertEquals(Optional.empty(), PublishedPortCheck.proxyPid(
                "LISTEN 0      128   0.0.0.0:8080 0.0.0.0:* users:((\"java\",pid=77,fd=9))"));
        assertTrue(PublishedPortCheck.isLocal("127.0.0.1"));
        assertFalse(PublishedPortCheck.isLocal("198.18.200.1"), "a lab address is not in the host's namespace");
        assertEquals(Optional.empty(), PublishedPortCheck.warning("198.18.200.1", 8080));
    }

    @Test
    void labCleanWithoutRootSaysSoAndExitsWithTwo() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new LabCommand.Clean(
                () -> Optional.of("the namespace lab needs root: running as uid 1000 (bob)")));
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute());
        assertTrue(err.toString().contains("conlimit: the namespace lab needs root: running as uid 1000"), err.toString());
    }

    @Test
    void theRootCheckReadsTheEffectiveUid() {
        long euid = LabHost.effectiveUid();
        assertTrue(euid >= 0);
        assertEquals(euid == 0, LabHost.unavailableReason().map(r -> !r.startsWith(LabHost.NEEDS_ROOT)).orElse(true));
    }
}
