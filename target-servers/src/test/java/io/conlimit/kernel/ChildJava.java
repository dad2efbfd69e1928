package io.conlimit.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Starts a Java main class of the test class path as a child process (optionally inside a network namespace:
 * a JVM cannot enter one, the process it starts can) and reads its output line by line.
 */
public final class ChildJava implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new ArrayList<>();

    private ChildJava(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (all) {
                        all.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("READ-ERROR " + e.getMessage());
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The command that runs {@code main} with this JVM's class path; prefix it with ns.exec(...) for a namespace. */
    public static List<String> command(Class<?> main, String... args) {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cp, main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static ChildJava start(List<String> command) throws IOException {
        return new ChildJava(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** The next line starting with {@code prefix} (other lines are skipped but kept in {@link #output()}). */
    public String await(String prefix, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new AssertionError("child printed no line starting with '" + prefix + "' within " + timeoutMillis
                        + " ms; output so far:\n" + output());
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    public String output() {
        synchronized (all) {
            return String.join("\n", all);
        }
    }

    public Process process() {
        return process;
    }

    /** Sends one line to the child's stdin. */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Closes the child's stdin (the children here stop on EOF). */
    public void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    public int waitFor(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child did not exit within " + timeoutMillis + " ms; output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
