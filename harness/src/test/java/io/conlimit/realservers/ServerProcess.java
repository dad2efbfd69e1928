package io.conlimit.realservers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real server (apache2, nginx, memcached, mariadbd, ...) started by a test as a child process on a loopback
 * port: its output goes to a log file in the test's temp dir, {@link #awaitPort} waits (with a deadline) until
 * the port accepts, and {@link #close} stops it and every process it started: SIGTERM to the whole tree, then
 * SIGKILL to whatever is left after a grace period. A server that runs in its own session (apache2 under
 * {@code setsid}, which signals its process group on stop) is also signalled by process group.
 */
public final class ServerProcess implements AutoCloseable {
    /** Servers start slowly on a busy 2-core machine (mariadbd: a few seconds): generous. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final String HOST = "127.0.0.1";

    final String name;
    final Process process;
    final Path log;
    final int port;
    private final boolean ownSession;
    /** The server's own log files (error logs), appended to {@link #logText()}. */
    final List<Path> extraLogs = new ArrayList<>();
    /** What the server needs besides itself (HAProxy's backend), closed after it stops. */
    final List<AutoCloseable> companions = new ArrayList<>();
    /** A signal to the main process alone that shuts the server down cleanly (postgres: INT, fast shutdown), or null. */
    private String stopSignal;

    private ServerProcess(String name, Process process, Path log, int port, boolean ownSession) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
        this.ownSession = ownSession;
    }

    /**
     * Starts {@code command} with its stdout and stderr in {@code dir/NAME.log}. With {@code ownSession} the
     * command runs under {@code setsid} (its own session and process group, which apache2 signals on stop).
     */
    static ServerProcess start(String name, Path dir, int port, boolean ownSession, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (ownSession) {
            cmd.add("setsid");
        }
        cmd.addAll(command);
        Path log = dir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Files.writeString(log, "$ " + String.join(" ", cmd) + "\n");
        return new ServerProcess(name, pb.start(), log, port, ownSession);
    }

    /** Waits until {@code 127.0.0.1:port} accepts a connection (then closes it), or fails with the log. */
    ServerProcess awaitPort() {
        awaitCondition("port " + port + " accepts", () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return this;
    }

    /**
     * Waits until the server holds no connection on its port (the readiness probe's connection is gone), so a
     * test's first client finds every slot free.
     */
    ServerProcess awaitNoConnections() {
        awaitCondition("no server-side connection on port " + port + " (the readiness probe's is closed)",
                () -> SocketStates.serverSide("established", port) == 0 && SocketStates.serverSide("close-wait", port) == 0
                        && SocketStates.serverSide("syn-recv", port) == 0);
        return this;
    }

    /** Polls {@code condition} every 50 ms until it holds; fails (with the log) when the server died or at the deadline. */
    void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                fail(name + " exited (" + process.exitValue() + ") before: " + what + "\n" + logText());
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + START_TIMEOUT.toSeconds() + " s waiting for " + name + ": " + what + "\n" + logText());
            }
            pause(50);
        }
    }

    String logText() {
        StringBuilder b = new StringBuilder();
        List<Path> all = new ArrayList<>();
        all.add(log);
        all.addAll(extraLogs);
        for (Path f : all) {
            try {
                String t = Files.readString(f, StandardCharsets.ISO_8859_1);
                b.append("---- ").append(f).append(" (last 4000 chars) ----\n").append(t.substring(Math.max(0, t.length() - 4000)));
            } catch (IOException e) {
                b.append("(no log ").append(f).append(": ").append(e).append(")\n");
            }
        }
        return b.toString();
    }

    /**
     * Stops this server with {@code signal} sent to its main process alone, before the whole tree is signalled:
     * for a server whose children must be stopped by their parent (postgres).
     */
    ServerProcess stopWith(String signal) {
        this.stopSignal = signal;
        return this;
    }

    /**
     * Stops the server and everything it started: its {@link #stopWith stop signal} when it has one (up to 10 s),
     * then SIGTERM to the whole tree, up to 10 s, then SIGKILL; then its companions. Never throws.
     */
    @Override
    public void close() {
        try {
            stopTree();
        } finally {
            for (AutoCloseable c : companions) {
                try {
                    c.close();
                } catch (Exception e) {
                    // already stopped
                }
            }
        }
    }

    private void stopTree() {
        if (stopSignal != null && process.isAlive()) {
            signal(stopSignal, Long.toString(process.pid()));
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.toHandle().descendants().forEach(tree::add);
        long pgid = ownSession ? process.pid() : -1; // setsid execs (the JVM's child is no group leader): pid == pgid
        if (pgid > 0) {
            signalGroup("TERM", pgid);
        }
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            pause(50);
        }
        if (pgid > 0) {
            signalGroup("KILL", pgid);
        }
        // children started after the first snapshot (e.g. a prefork child spawned while stopping)
        process.toHandle().descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void signalGroup(String signal, long pgid) {
        signal(signal, "-" + pgid);
    }

    /** {@code kill -SIGNAL -- TARGET} (a pid, or -pgid for a process group), bounded; never throws. */
    private static void signal(String signal, String target) {
        try {
            new ProcessBuilder("kill", "-" + signal, "--", target).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing to signal
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- environment ---------------------------------------------------------------------------------

    /** A free loopback port (bound to 127.0.0.1:0 and released). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(HOST, 0));
            return s.getLocalPort();
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name")) || uid() == 0;
    }

    private static long uid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown
        }
        return -1;
    }

    /**
     * Creates {@code dir} (mode 755) and lets other users search the temp dirs above it, never above
     * java.io.tmpdir: for a server that drops root (apache2's www-data, postgres).
     */
    static void reachableByOthers(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tmpRoot = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
        for (Path a = dir.toAbsolutePath().getParent(); a != null && a.startsWith(tmpRoot) && !a.equals(tmpRoot); a = a.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(a);
            perms.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(a, perms);
        }
    }

    /** The first of {@code candidates} that is an executable file, if any. */
    static Optional<Path> executable(String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Skips the test (JUnit assumption) unless root and one of {@code candidates} exists; returns it. */
    static Path assumeServer(String what, String packageName, String... candidates) {
        assumeTrue(isRoot(), () -> "real-server test (" + what + ") skipped: not root (uid " + uid() + ")");
        Optional<Path> bin = executable(candidates);
        assumeTrue(bin.isPresent(), () -> "real-server test (" + what + ") skipped: " + String.join(" or ", candidates)
                + " is missing (apt-get install " + packageName + "; .ci/run installs it)");
        return bin.get();
    }

    static void assumeTrueFile(Path file, String what, String packageName) {
        assumeTrue(Files.exists(file), () -> "real-server test (" + what + ") skipped: " + file
                + " is missing (apt-get install " + packageName + "; .ci/run installs it)");
    }

    /** Runs a short command to completion (bounded), returning its output; fails the test when it fails. */
    static String runChecked(Duration timeout, Path dir, List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            Thread reader = null;
            java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
            reader = new Thread(() -> {
                try {
                    in.transferTo(buf);
                } catch (IOException e) {
                    // process ended
                }
            });
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command) + "\n" + buf);
            }
            reader.join(5000);
            out = buf.toByteArray();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
        }
        return text;
    }

    // ---- client side -------------------------------------------------------------------------------

    /** A connected plain socket with a read timeout. */
    static Socket connect(int port, Duration readTimeout) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(HOST, port), 2000);
        s.setSoTimeout((int) readTimeout.toMillis());
        return s;
    }

    static void send(Socket s, String text) throws IOException {
        OutputStream o = s.getOutputStream();
        o.write(text.getBytes(StandardCharsets.ISO_8859_1));
        o.flush();
    }

    /**
     * Reads until {@code delimiter} arrived, the peer closed, or the read timed out; returns what arrived
     * (ISO-8859-1) with a suffix "<EOF>" on close, "<TIMEOUT>" on timeout, "<RESET>" on a reset.
     */
    static String readUntil(Socket s, String delimiter) throws IOException {
        StringBuilder b = new StringBuilder();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (java.net.SocketTimeoutException e) {
                return b + "<TIMEOUT>";
            } catch (java.net.SocketException e) {
                return b + "<RESET>";
            }
            if (n < 0) {
                return b + "<EOF>";
            }
            b.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
            if (b.indexOf(delimiter) >= 0) {
                return b.toString();
            }
        }
    }

    /** Closes every socket, ignoring errors. */
    static void closeAll(List<? extends AutoCloseable> sockets) {
        for (AutoCloseable s : sockets) {
            try {
                s.close();
            } catch (Exception e) {
                // already closed
            }
        }
        sockets.clear();
    }
}
