package io.conlimit.fleet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator's own limit is reported as client-limited, never as the server's: a child JVM under
 * {@code ulimit -n 64} opens 200 connections to a listener with room for all of them: held until the end (on bare
 * sockets, and on Netty channels), and closed at once (hold 0; every burst on bare sockets creates all 200 sockets
 * before the release).
 */
@Timeout(120)
class ClientLimitedTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"held", "held-channel", "direct"})
    void tooManyOpenFilesIsClientLimited(String mode) throws Exception {
        try (ServerSocket listener = TestServers.listener(1000)) { // 200 fit in its accept queue, nobody accepts
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = childClasspath();
            String cmd = "ulimit -n 64; exec '" + java + "' -Xshare:off -XX:TieredStopAtLevel=1 -cp '" + cp + "' "
                    + ClientLimitedMain.class.getName() + " " + listener.getLocalPort() + " 200 " + mode;
            Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), "child finished");
            assertEquals(0, p.exitValue(), out);
            System.out.println("child output:\n" + out);
            Map<String, String> counts = new HashMap<>();
            for (String line : out.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    counts.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
            int limited = Integer.parseInt(counts.getOrDefault("client-limited", "0"));
            int ok = Integer.parseInt(counts.getOrDefault("connected", "0")); // the connect probe: handshakes
            assertTrue(limited > 0, "client-limited expected under ulimit -n 64: " + out);
            assertEquals("0", counts.getOrDefault("error", "0"), "nothing unclassified: " + out);
            assertEquals(200, ok + limited, "every connect ok or client-limited, none charged to the server: " + out);
            assertEquals(mode.equals("held-channel") ? "channel" : "direct", counts.get("path"), out);
            assertTrue(counts.getOrDefault("detail", "").contains("errno=24")
                    || counts.getOrDefault("detail", "").toLowerCase().contains("too many open files"), out);
        }
    }

    /** Only what the child needs (each jar or class file read needs a descriptor under the low limit). */
    private static String childClasspath() {
        String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> keep = new ArrayList<>();
        for (String e : full.split(File.pathSeparator)) {
            if (e.endsWith("classes") || e.endsWith("test-classes") || e.contains("netty") || e.contains("conlimit-target")) {
                keep.add(e);
            }
        }
        return keep.stream().collect(Collectors.joining(File.pathSeparator));
    }
}
