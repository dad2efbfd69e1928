package io.conlimit.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Opens the /proc/net files of the namespace a command prefix runs in (see {@link ProcNet#in(List)}): a JVM cannot
 * setns, but a process it starts can, and /proc/PID/net shows the namespace of process PID.
 * <p>
 * The helper is {@code PREFIX sh -c 'echo $$ && exec cat'}: it prints its pid once it runs inside the namespace, then
 * waits on its stdin, which only this JVM holds, so it ends when we close it (or when this JVM dies).
 */
final class NamespaceHelper {
    private static final long START_TIMEOUT_MS = 10_000;

    private NamespaceHelper() {
    }

    /** @param expectedNs the name under /run/netns the helper must be in, or null to accept where the prefix put it */
    static ProcNet open(List<String> prefix, String expectedNs) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("sh", "-c", "echo $$ && exec cat"));
        String shown = String.join(" ", prefix);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String first = firstLine(p, shown);
            long pid;
            try {
                pid = Long.parseLong(first.trim());
            } catch (NumberFormatException e) {
                throw new IOException("'" + shown + " sh' failed: " + first.trim() + rest(p));
            }
            if (pid != p.pid()) {
                throw new IOException("'" + shown + "' runs its command in another process (pid " + pid + ", started "
                        + p.pid() + "): its namespace cannot be read through /proc/PID/net");
            }
            String netns = Files.readSymbolicLink(Path.of("/proc", "" + pid, "ns", "net")).toString();
            if (expectedNs != null) {
                Object ino = Files.getAttribute(Path.of("/run/netns", expectedNs), "unix:ino");
                if (!netns.equals("net:[" + ino + "]")) {
                    throw new IOException("the helper started by '" + shown + "' is in " + netns
                            + ", not in namespace " + expectedNs + " (net:[" + ino + "])");
                }
            }
            String description = "/proc/net of " + (expectedNs != null ? "namespace " + expectedNs : "'" + shown + "'")
                    + " (" + netns + ")";
            ProcNet net = ProcNet.open(Path.of("/proc", "" + pid, "net"), description);
            if (!p.isAlive()) {
                // it may have been reaped before the files were opened: the pid could have been someone else's
                net.close();
                throw new IOException("the helper started by '" + shown + "' ended before its /proc/net files were open"
                        + rest(p));
            }
            return net;
        } finally {
            end(p);
        }
    }

    private static String firstLine(Process p, String shown) throws IOException {
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                InputStream in = p.getInputStream();
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                    buf.write(b);
                }
                line.complete(buf.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                line.completeExceptionally(e);
            }
        }, "netns-helper-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return line.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("'" + shown + " sh' printed nothing in " + START_TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            throw new IOException("'" + shown + " sh': " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting '" + shown + " sh'", e);
        }
    }

    /** What a failed helper printed after its first line, once it has exited (bounded: what is already there). */
    private static String rest(Process p) {
        try {
            if (p.waitFor(2, TimeUnit.SECONDS)) {
                InputStream in = p.getInputStream();
                byte[] b = in.readNBytes(Math.min(4096, in.available()));
                String s = new String(b, StandardCharsets.UTF_8).trim();
                return (s.isEmpty() ? "" : " " + s) + " (exit " + p.exitValue() + ")";
            }
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "";
    }

    /** Ends the helper: EOF on its stdin ends cat; forcibly if it does not end in 2 s. */
    private static void end(Process p) {
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        try {
            p.getInputStream().close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
