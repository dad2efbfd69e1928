package io.conlimit.lab;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.conlimit.lab.LabTesting.CHILD_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lab's two machines with the real target server: started in the server namespace as a child
 * process, it reports the server namespace's somaxconn as its effective backlog, and the server
 * namespace's kernel agrees (ss Send-Q). Needs root; skipped while the target server's main class is not
 * on the class path.
 */
class LabTargetTest {
    @BeforeEach
    void needs() {
        LabTesting.assumeLabAvailable();
        boolean present;
        try {
            Class.forName(LabProcesses.TARGET_MAIN, false, LabTargetTest.class.getClassLoader());
            present = true;
        } catch (ClassNotFoundException e) {
            present = false;
        }
        assumeTrue(present, LabProcesses.TARGET_MAIN + " is not on the class path yet");
    }

    @ParameterizedTest(name = "server somaxconn={0}")
    @ValueSource(ints = {128, 4096})
    void theTargetServerInTheServerNamespaceGetsThatNamespacesSomaxconn(int somaxconn) throws IOException {
        int host = Integer.parseInt(Files.readString(Path.of("/proc/sys/net/core/somaxconn")).trim());
        LabSpec spec = LabSpec.builder().runId(LabTesting.testRunId("tgt"))
                .serverSysctl("net.core.somaxconn", Integer.toString(somaxconn)).build();
        try (LabNetwork lab = LabNetwork.create(spec);
             LabProcess server = lab.startInServer("target", LabProcesses.targetServerCommand(List.of(
                     "serve", "blocking-pool", "--bind", lab.serverAddress(), "--port", "8080",
                     "--backlog", "max", "--workers", "2", "--hold", "forever")), null)) {
            String start = server.awaitLine(LabProcesses.TARGET_START_LINE, CHILD_TIMEOUT);
            Map<String, String> kv = LabProcesses.keyValues(start);
            assertEquals(Integer.toString(somaxconn), kv.get("somaxconn"), start);
            assertEquals(Integer.toString(somaxconn), kv.get("backlog.effective"), start);
            String ss = lab.server().run("ss", "-Hlnt");
            assertEquals(somaxconn, LabTesting.sendQ(ss, lab.serverAddress(), 8080), ss);
        }
        assertEquals(host, Integer.parseInt(Files.readString(Path.of("/proc/sys/net/core/somaxconn")).trim()),
                "the host's somaxconn is untouched");
    }
}
