package io.conlimit.lab;

import io.conlimit.kernel.Commands;
import io.conlimit.kernel.Sysctls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static io.conlimit.lab.LabTesting.CHILD_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The lab for real: needs root (skips with the reason otherwise). */
class LabNetworkTest {
    private static final int PORT = 8080;

    @BeforeEach
    void needsRoot() {
        LabTesting.assumeLabAvailable();
    }

    @Test
    void twoNamespacesJoinedByAVethWithTheirOwnSysctlsAndCloseRemovesThem() throws Exception {
        int hostBefore = new Sysctls().somaxconn();
        assumeTrue(hostBefore != 128, "the host's somaxconn is already 128: the test could not tell the kernels apart");
        LabSpec spec = LabSpec.builder().runId(LabTesting.testRunId("net"))
                .serverSysctl("net.core.somaxconn", "128")
                .clientSysctl("net.ipv4.tcp_syn_retries", "3")
                .build();
        LabNetwork lab = LabNetwork.create(spec);
        String srv = LabNames.serverNamespace(spec.runId());
        String cli = LabNames.clientNamespace(spec.runId());
        try (lab) {
            assertTrue(LabCleaner.labNamespaces().containsAll(List.of(srv, cli)), "both namespaces are listed");
            assertEquals(srv, lab.server().name());
            assertTrue(lab.serverAddress().matches("198\\.18\\.\\d+\\.1"), lab.serverAddress());
            assertEquals(lab.serverAddress().replaceAll("\\.1$", ".2"), lab.clientAddress());
            assertTrue(Commands.run(List.of("ip", "-n", srv, "-o", "-4", "addr", "show", "dev", "lab-srv"), 10)
                    .contains("inet " + lab.addresses().serverCidr() + " "));
            assertTrue(Commands.run(List.of("ip", "-n", cli, "-o", "-4", "addr", "show", "dev", "lab-cli"), 10)
                    .contains("inet " + lab.addresses().clientCidr() + " "));
            assertFalse(Commands.run(List.of("ip", "-o", "link", "show"), 10).contains("lab-srv"),
                    "the veth ends live only in the lab namespaces");

            // per-namespace kernel settings: the server's somaxconn is 128, the host keeps its own
            assertEquals("128", lab.server().readSysctl("net.core.somaxconn"));
            assertEquals("3", lab.client().readSysctl("net.ipv4.tcp_syn_retries"));
            assertEquals(hostBefore, new Sysctls().somaxconn(), "the host's somaxconn is untouched");

            try (LabProcess listener = lab.startInServer("listener", LabTesting.peer("listen", lab.serverAddress(), PORT), null)) {
                listener.awaitLine(l -> l.startsWith("listening "), CHILD_TIMEOUT);
                // the listener asked for Integer.MAX_VALUE: the server namespace's kernel clamped it to 128
                String ss = lab.server().run("ss", "-Hlnt");
                assertEquals(128, LabTesting.sendQ(ss, lab.serverAddress(), PORT), ss);

                try (LabProcess connector = lab.startInClient("connector", LabTesting.peer("connect", lab.serverAddress(), PORT), null)) {
                    String connected = connector.awaitLine(l -> l.startsWith("connected "), CHILD_TIMEOUT);
                    assertTrue(LabProcesses.keyValues(connected).get("local").startsWith(lab.clientAddress() + ":"), connected);
                    assertEquals(0, connector.waitFor(CHILD_TIMEOUT));
                }
                String accepted = listener.awaitLine(l -> l.startsWith("accepted from "), CHILD_TIMEOUT);
                assertTrue(accepted.startsWith("accepted from " + lab.clientAddress() + ":"),
                        "the connection came over the veth from the client namespace: " + accepted);
                assertEquals(0, listener.waitFor(CHILD_TIMEOUT));
            }
        }
        assertTrue(lab.isClosed());
        assertFalse(LabTesting.exists(srv), srv + " removed");
        assertFalse(LabTesting.exists(cli), cli + " removed");
        lab.close(); // idempotent
        assertEquals(hostBefore, new Sysctls().somaxconn());
    }

    @Test
    void closeStopsProcessesStillRunningInTheLab() throws Exception {
        LabNetwork lab = LabNetwork.create(LabSpec.builder().runId(LabTesting.testRunId("stop")).build());
        LabProcess sleeper;
        try (lab) {
            sleeper = lab.startInServer("sleeper", List.of("sleep", "120"), null);
            LabTesting.await("sleep runs in the server namespace", CHILD_TIMEOUT, () -> {
                try {
                    return !Commands.run(List.of("ip", "netns", "pids", lab.server().name()), 10).isBlank();
                } catch (IOException e) {
                    return false;
                }
            });
        }
        assertFalse(sleeper.isAlive(), "close() stopped the lab's process");
        assertFalse(LabTesting.exists(lab.server().name()));
    }

    @Test
    void aSecondLabWithTheSameRunIdFailsAndLeavesTheFirstIntact() throws Exception {
        LabSpec spec = LabSpec.builder().runId(LabTesting.testRunId("dup")).build();
        try (LabNetwork first = LabNetwork.create(spec)) {
            IOException e = assertThrows(IOException.class, () -> LabNetwork.create(spec));
            assertTrue(e.getMessage().contains(first.server().name()), e.getMessage());
            assertTrue(LabTesting.exists(first.server().name()));
            assertTrue(LabTesting.exists(first.client().name()));
            assertTrue(Commands.run(List.of("ip", "-n", first.client().name(), "-o", "link", "show", "dev", "lab-cli"), 10)
                    .contains("LOWER_UP"), "the first lab's link is still up");
        }
    }

    @Test
    void aSysctlOutsideNetIsRefusedBeforeAnythingIsCreated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LabSpec.builder().serverSysctls(Map.of("vm.swappiness", "10")));
        assertTrue(e.getMessage().contains("lab.server.sysctls: 'vm.swappiness'"), e.getMessage());
    }
}
