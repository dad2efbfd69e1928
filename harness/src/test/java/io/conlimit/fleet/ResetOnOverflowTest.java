package io.conlimit.fleet;

import io.conlimit.kernel.NetworkNamespace;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * reset for real: tcp_abort_on_overflow=1 in a namespace this test creates; the client's final ACK meets a
 * full accept queue and the server answers RST (see {@link ResetOnOverflowMain} for the choreography).
 */
@Timeout(120)
class ResetOnOverflowTest {
    @Test
    void abortOnOverflowResetsAClientThatBelievesItIsConnected() throws Exception {
        Assumptions.assumeTrue(NetworkNamespace.unavailableReason().isEmpty(), NetworkNamespace.unavailableReason().orElse(""));
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "nft (nftables) is not installed");
        try (NetworkNamespace ns = NetworkNamespace.create("conlimit-fleet-reset-" + ProcessHandle.current().pid())) {
            ns.sysctl("net.ipv4.tcp_abort_on_overflow", "1");
            assertEquals("1", ns.readSysctl("net.ipv4.tcp_abort_on_overflow"));
            ns.run("nft", "add", "table", "inet", "conlimit");
            ns.run("nft", "add chain inet conlimit in { type filter hook input priority 0; }");
            ns.run("nft", "add rule inet conlimit in ip saddr 127.0.0.2 tcp dport " + ResetOnOverflowMain.PORT
                    + " tcp flags & (syn | ack) == ack drop");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(ns.exec(List.of(java, "-cp", classpath(), ResetOnOverflowMain.class.getName())));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("outcome=reset"), out);
            assertTrue(out.contains("connected=true"), "the client believed it was connected: " + out);
            assertTrue(out.contains("close=peer-rst"), out);
            assertTrue(out.contains("local=127.0.0.2:"), out);
        }
    }

    private static String classpath() {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> keep = new ArrayList<>();
        for (String e : full.split(File.pathSeparator)) {
            if (e.endsWith("classes") || e.endsWith("test-classes") || e.contains("netty") || e.contains("conlimit-target")) {
                keep.add(e);
            }
        }
        return String.join(File.pathSeparator, keep);
    }
}
