package io.conlimit.target.servers;

import io.conlimit.kernel.NetworkNamespace;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * In a network namespace of its own with somaxconn 128, the real CLI (a child JVM run under
 * {@code ip netns exec}) reports what that namespace's kernel says: max and 4096 both become 128.
 * SIGTERM then stops it cleanly: a {@code stopped} line and exit 0.
 */
class NamespaceBacklogTest {

    @Test
    void maxIsTheNamespacesSomaxconn() throws Exception {
        List<String> out = serveInNamespace("max");
        Map<String, String> line = StartLine.parse(out.get(0));
        assertEquals("128", line.get("somaxconn"), out.toString());
        assertEquals("128", line.get("backlog.effective"), out.toString());
        assertEquals("ss", line.get("backlog.source"));
        assertEquals("max", line.get("backlog.requested"));
        // max asks for the clamp: no backlog warning (the only warning is serve's default loopback bind)
        assertTrue(out.stream().filter(l -> l.startsWith("warning: "))
                .allMatch(l -> l.startsWith("warning: listening on 127.0.0.1:")), out.toString());
    }

    @Test
    void fourThousandNinetySixIsClampedTo128() throws Exception {
        List<String> out = serveInNamespace("4096");
        Map<String, String> line = StartLine.parse(out.get(0));
        assertEquals("128", line.get("backlog.effective"), out.toString());
        assertEquals("4096", line.get("backlog.passed"));
        assertTrue(out.contains("warning: asked for 4096, the kernel silently clamped it to somaxconn 128"), out.toString());
    }

    /** Runs serve blocking-pool in a fresh namespace; returns every line it printed (start, warnings, stopped). */
    private static List<String> serveInNamespace(String backlog) throws Exception {
        assumeTrue(NetworkNamespace.unavailableReason().isEmpty(), () -> NetworkNamespace.unavailableReason().orElse(""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (NetworkNamespace ns = NetworkNamespace.create("conlimit-t-" + UUID.randomUUID().toString().substring(0, 8))) {
            ns.sysctl("net.core.somaxconn", "128");
            assertEquals("128", ns.readSysctl("net.core.somaxconn"));
            Process p = new ProcessBuilder(ns.exec(List.of(java, "-cp", System.getProperty("java.class.path"),
                    "io.conlimit.target.cli.TargetMain", "serve", "blocking-pool", "--backlog", backlog)))
                    .redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String first = CompletableFuture.supplyAsync(() -> readLine(r)).get(60, TimeUnit.SECONDS);
                assertTrue(first != null && first.startsWith("serving "), "start line, got: " + first);
                // SIGTERM by kill(1): Process.destroy() would also close our end of its stdout
                // (ip netns exec execs the command, so the pid is the JVM's)
                assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
                List<String> lines = new ArrayList<>(List.of(first));
                String l;
                while ((l = r.readLine()) != null) {
                    lines.add(l);
                }
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve ends on SIGTERM");
                assertEquals(0, p.exitValue(), "exit code after SIGTERM: " + lines);
                assertTrue(lines.get(lines.size() - 1).startsWith("stopped kind=blocking-pool "), lines.toString());
                return lines;
            } finally {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String readLine(BufferedReader r) {
        try {
            return r.readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
