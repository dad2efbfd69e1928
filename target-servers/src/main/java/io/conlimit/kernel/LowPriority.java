package io.conlimit.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Lowers a bookkeeping thread (the reporter, the connections writer, the kernel-evidence poller, the listen-queue
 * sampler) to nice 19, so it takes the CPU the event loops (or the server under test, beside an agent) leave idle
 * instead of preempting a loop that has a connect due. On 2 cores, at
 * normal priority, each once-a-second tick made tens to hundreds of intended starts over 1 ms late
 * (docs/benchmarks.md, section 2). Linux applies setpriority(2) to one thread when given its thread id; Java has no
 * call for it, so the thread runs renice(1) on itself once. Best effort: without renice or /proc the thread keeps
 * its priority, and nothing measured depends on it (every time comes from the clock, never from a thread's pace).
 */
public final class LowPriority {
    /** The nice value bookkeeping threads run at: the lowest a user may set. */
    public static final int NICE = 19;

    private LowPriority() {
    }

    /** Wraps {@code task} so that its thread lowers itself first (for thread factories). */
    public static Runnable lowered(Runnable task) {
        return () -> {
            lowerThisThread();
            task.run();
        };
    }

    /** Lowers the calling thread (not the process) to {@link #NICE}; whether it now runs at that nice value. */
    public static boolean lowerThisThread() {
        try {
            String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            Process p = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false; // no /proc/thread-self (not Linux) or no renice: the thread keeps its priority
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return niceOfThisThread().orElse(0) == NICE;
    }

    /** The calling thread's nice value (field 19 of /proc/thread-self/stat), or empty where it cannot be read. */
    public static OptionalInt niceOfThisThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // after the command name in parentheses (which may hold spaces): field 3 (state) ... field 19 (nice)
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return OptionalInt.of(Integer.parseInt(f[16]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }
}
