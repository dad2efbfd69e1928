package io.conlimit.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of this side that decide a listen-backlog experiment: kernel version, the decisive sysctls of
 * this process's network namespace ({@link Sysctls#decisive()} plus net.ipv4.tcp_rto_max_ms, which caps the
 * SYN backoff where it exists) and this process's open-file limit from /proc/self/limits.
 *
 * @param kernelVersion   /proc/sys/kernel/osrelease (os.version when unreadable)
 * @param sysctls         name to raw value, "n/a" for settings this kernel lacks
 * @param openFilesSoft   "Max open files" soft limit ("unlimited" or a number; "n/a" if unreadable)
 * @param openFilesHard   "Max open files" hard limit
 */
public record KernelInfo(String kernelVersion, Map<String, String> sysctls, String openFilesSoft, String openFilesHard) {
    /** Extra sysctl shown beside {@link Sysctls#DECISIVE}: the RTO cap of the SYN schedule (6.15+). */
    public static final String RTO_MAX = "net.ipv4.tcp_rto_max_ms";

    public KernelInfo {
        sysctls = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sysctls));
    }

    /** Reads this process's kernel, namespace and limits. */
    public static KernelInfo collect() {
        return collect(new Sysctls(), Path.of("/proc/self/limits"));
    }

    /** For tests: from another /proc/sys root and limits file. */
    public static KernelInfo collect(Sysctls sysctls, Path limitsFile) {
        String version = sysctls.read("kernel.osrelease").orElse(System.getProperty("os.version"));
        Map<String, String> values = new LinkedHashMap<>(sysctls.decisive());
        values.put(RTO_MAX, sysctls.read(RTO_MAX).orElse("n/a"));
        String[] nofile = openFiles(limitsFile).orElse(new String[] {"n/a", "n/a"});
        return new KernelInfo(version, values, nofile[0], nofile[1]);
    }

    /**
     * The same, read by one {@code sh} run behind {@code commandPrefix} (e.g. {@code ip netns exec NS}): the
     * sysctls of the namespace the command runs in, and the open-file limit a process started there inherits.
     */
    public static KernelInfo collect(List<String> commandPrefix) throws IOException {
        List<String> names = new ArrayList<>(List.of("kernel.osrelease"));
        names.addAll(Sysctls.DECISIVE);
        names.add(RTO_MAX);
        List<String> cmd = new ArrayList<>(commandPrefix);
        cmd.addAll(List.of("sh", "-c", "for k in \"$@\"; do f=/proc/sys/$(echo \"$k\" | tr . /); "
                + "if [ -r \"$f\" ]; then printf '%s=%s\\n' \"$k\" \"$(cat \"$f\")\"; else printf '%s=n/a\\n' \"$k\"; fi; done; "
                + "grep '^Max open files' /proc/self/limits", "sh"));
        cmd.addAll(names);
        String out = Commands.run(cmd, 10);
        Map<String, String> values = new LinkedHashMap<>();
        List<String> limits = new ArrayList<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("Max open files")) {
                limits.add(line);
            } else if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim().replaceAll("\\s+", " "));
            }
        }
        String version = values.remove("kernel.osrelease");
        String[] nofile = parseOpenFiles(limits).orElse(new String[] {"n/a", "n/a"});
        return new KernelInfo(version == null ? "n/a" : version, values, nofile[0], nofile[1]);
    }

    /**
     * Soft and hard "Max open files" of a /proc/PID/limits file as numbers: Long.MAX_VALUE for unlimited,
     * -1 when the file or the line cannot be read.
     */
    public static long[] openFileLimits(Path limitsFile) {
        String[] f = openFiles(limitsFile).orElse(new String[] {"", ""});
        return new long[] {limitValue(f[0]), limitValue(f[1])};
    }

    private static long limitValue(String s) {
        if (s.equals("unlimited")) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Soft and hard "Max open files" from a /proc/PID/limits file. */
    static Optional<String[]> openFiles(Path limitsFile) {
        try {
            return parseOpenFiles(Files.readAllLines(limitsFile));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<String[]> parseOpenFiles(List<String> lines) {
        for (String line : lines) {
            if (line.startsWith("Max open files")) {
                String[] f = line.substring("Max open files".length()).trim().split("\\s+");
                if (f.length >= 2) {
                    return Optional.of(new String[] {f[0], f[1]});
                }
            }
        }
        return Optional.empty();
    }

    /** The SYN retry schedule these sysctls produce. */
    public SynRetrySchedule synRetrySchedule() {
        return SynRetrySchedule.fromSysctlMap(sysctls);
    }

    /** For JSON (snake_case keys, stable order). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kernel_version", kernelVersion);
        m.put("sysctls", sysctls);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("soft", openFilesSoft);
        files.put("hard", openFilesHard);
        m.put("open_files_limit", files);
        return m;
    }
}
