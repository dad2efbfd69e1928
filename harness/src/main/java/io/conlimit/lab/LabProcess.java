package io.conlimit.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A child process (typically {@code ip netns exec NS java ...}) whose stdout and stderr are captured line
 * by line, so that a caller can wait, with a deadline, for the line that says it is ready (e.g. the target
 * server's {@code serving ...} start line). The last {@value #KEPT_LINES} lines are kept.
 */
public final class LabProcess implements AutoCloseable {
    static final int KEPT_LINES = 10_000;
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final String label;
    private final List<String> command;
    private final Process process;
    private final Thread reader;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private long total; // lines read so far, including those no longer kept
    private boolean ended;

    private LabProcess(String label, List<String> command, Process process, Consumer<String> echo) {
        this.label = label;
        this.command = List.copyOf(command);
        this.process = process;
        this.reader = new Thread(() -> pump(echo), "lab-output-" + label);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts {@code command} with stderr merged into stdout.
     *
     * @param echo receives each output line as it arrives (e.g. to prefix and log it), or null
     */
    public static LabProcess start(String label, List<String> command, Consumer<String> echo) throws IOException {
        Objects.requireNonNull(label, "label");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("lab process " + label + ": empty command");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new LabProcess(label, command, p, echo);
    }

    public String label() {
        return label;
    }

    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until an output line (including one printed before this call) matches, and returns it.
     *
     * @throws IOException naming the process, the deadline and its last output lines when the process ends
     *                     or {@code timeout} passes first
     */
    public String awaitLine(Predicate<String> match, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long next = 0;
        synchronized (lines) {
            while (true) {
                long first = total - lines.size();
                int i = 0;
                for (String line : lines) {
                    long index = first + i++;
                    if (index >= next) {
                        next = index + 1;
                        if (match.test(line)) {
                            return line;
                        }
                    }
                }
                if (ended) {
                    awaitExit(Duration.ofSeconds(1));
                    String how = process.isAlive() ? "closed its output" : "exited (code " + exitCode() + ")";
                    throw new IOException(label + " " + how + " before printing the expected line; " + tail(20));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IOException(label + " did not print the expected line within "
                            + timeout.toMillis() + " ms; " + tail(20));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for " + label, e);
                }
            }
        }
    }

    /** The kept output lines so far. */
    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** Waits for the process to exit and returns its exit code; -1 when it still runs after {@code timeout}. */
    public int waitFor(Duration timeout) throws IOException {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return -1;
            }
            reader.join(GRACE.toMillis());
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + label, e);
        }
    }

    /**
     * SIGTERM, then SIGKILL after 5 s; idempotent. The signal is sent through the process handle, not
     * {@link Process#destroy()}, which would also close the pipes and lose what the process prints as it
     * stops (a server's final statistics).
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.toHandle().destroy();
            try {
                if (!process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
                reader.join(GRACE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    @Override
    public String toString() {
        return label + " (pid " + pid() + "): " + String.join(" ", command);
    }

    private void awaitExit(Duration d) {
        try {
            process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String exitCode() {
        try {
            return Integer.toString(process.exitValue());
        } catch (IllegalThreadStateException e) {
            return "?";
        }
    }

    private String tail(int n) {
        List<String> all = new ArrayList<>(lines);
        List<String> last = all.subList(Math.max(0, all.size() - n), all.size());
        return last.isEmpty() ? "it printed nothing" : "its last output:\n  " + String.join("\n  ", last);
    }

    private void pump(Consumer<String> echo) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (echo != null) {
                    try {
                        echo.accept(line);
                    } catch (RuntimeException e) {
                        // a failing echo must not stop the draining: the child would block on a full pipe
                    }
                }
                synchronized (lines) {
                    lines.addLast(line);
                    total++;
                    if (lines.size() > KEPT_LINES) {
                        lines.removeFirst();
                    }
                    lines.notifyAll();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the stream closes when the process is destroyed: nothing more to read
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }
}
