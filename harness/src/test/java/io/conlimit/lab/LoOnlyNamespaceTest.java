package io.conlimit.lab;

import io.conlimit.target.servers.NettyMachineId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * In a network namespace with only {@code lo} (no hardware address), Netty would print a JVM logging warning in the
 * middle of a run's output; conlimit gives it a machine id first, so the output is conlimit's own.
 */
class LoOnlyNamespaceTest {
    @TempDir
    Path dir;

    @Test
    void machineIdIsSetOnceAndAUserValueIsKept() {
        new io.conlimit.cli.Main(); // its class initialisation sets the id
        String id = System.getProperty(NettyMachineId.PROPERTY);
        assertTrue(id != null && id.matches("([0-9a-f]{2}:){7}[0-9a-f]{2}"), "machine id: " + id);
        NettyMachineId.ensure();
        assertEquals(id, System.getProperty(NettyMachineId.PROPERTY), "set once per process");
    }

    @Test
    void aRunInALoOnlyNamespacePrintsNoNettyWarning() throws Exception {
        LabTesting.assumeLabAvailable();
        String ns = "conlimit-lotest-" + LabNames.newRunId();
        ip("netns", "add", ns);
        try {
            ip("-n", ns, "link", "set", "lo", "up");
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            // the channel path (a held connection, the banner probe) against the embedded target: both use Netty channels
            cmd.addAll(LabProcesses.javaCommand(List.of("-XX:TieredStopAtLevel=1"), LabProcesses.CONLIMIT_MAIN,
                    List.of("run", "--burst", "5", "--hold", "100ms", "--no-report", "--out", dir.resolve("run").toString())));
            Path log = dir.resolve("out.txt");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(LabTesting.CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("the run did not end within " + LabTesting.CHILD_TIMEOUT + ":\n" + Files.readString(log));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.matches("(?s).*\\n\\s*ok\\s+5\\s.*"), out);
            assertFalse(out.contains("hardware address") || out.contains("MacAddressUtil") || out.contains("WARNING"), out);
        } finally {
            ip("netns", "del", ns);
        }
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
