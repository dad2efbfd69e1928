package io.conlimit.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The process that created a lab, written into the lab itself as the alias of each veth end
 * ({@code ip link set lab-srv alias "conlimit-lab owner pid=123 start=456"}), so that
 * {@code conlimit lab clean} can tell a running lab from a killed run's leftovers without any file
 * outside the namespaces. {@code start} is the process's start time in clock ticks since boot
 * (/proc/PID/stat field 22), which makes a reused pid detectable.
 */
public record LabOwner(long pid, long startTicks) {
    private static final Pattern ALIAS = Pattern.compile("conlimit-lab owner pid=(\\d+) start=(\\d+)");

    /** This JVM. */
    public static LabOwner current() {
        long pid = ProcessHandle.current().pid();
        return new LabOwner(pid, startTicks(pid).orElse(0));
    }

    public String alias() {
        return "conlimit-lab owner pid=" + pid + " start=" + startTicks;
    }

    /** Finds the owner alias in {@code ip -o link show} output. */
    public static Optional<LabOwner> parse(String ipLinkOutput) {
        Matcher m = ALIAS.matcher(ipLinkOutput);
        return m.find() ? Optional.of(new LabOwner(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))))
                : Optional.empty();
    }

    /** Whether the owning process still runs: the pid exists and started at the recorded time. */
    public boolean isAlive() {
        OptionalLong now = startTicks(pid);
        return now.isPresent() && (startTicks == 0 || now.getAsLong() == startTicks);
    }

    /** Field 22 of /proc/PID/stat (starttime), or empty when the process does not exist. */
    static OptionalLong startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may contain spaces: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return OptionalLong.of(Long.parseLong(f[22 - 3]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
