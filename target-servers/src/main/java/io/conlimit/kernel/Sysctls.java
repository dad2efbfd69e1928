package io.conlimit.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the sysctls of the network namespace this process runs in, from /proc/sys. Nothing is assumed:
 * a setting the kernel does not have (e.g. tcp_syn_linear_timeouts before 6.5) reads as empty.
 */
public final class Sysctls {
    /** The settings that decide a listen-backlog experiment, in the order they are shown. */
    public static final List<String> DECISIVE = List.of(
            "net.core.somaxconn",
            "net.ipv4.tcp_max_syn_backlog",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.tcp_abort_on_overflow",
            "net.ipv4.tcp_syn_retries",
            "net.ipv4.tcp_synack_retries",
            "net.ipv4.tcp_syn_linear_timeouts",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.tcp_tw_reuse");

    private final Path procSys;

    public Sysctls() {
        this(Path.of("/proc/sys"));
    }

    /** For tests: read from another root laid out like /proc/sys. */
    public Sysctls(Path procSys) {
        this.procSys = procSys;
    }

    /** The raw value (whitespace collapsed to single spaces), or empty when the setting does not exist here. */
    public Optional<String> read(String name) {
        Path p = procSys.resolve(name.replace('.', '/'));
        try {
            return Optional.of(readWhole(p).trim().replaceAll("\\s+", " "));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Reads a /proc/sys file in ONE read(2) call. The kernel's integer sysctl handlers (proc_dointvec and friends)
     * answer any read at a non-zero offset with end-of-file, and /proc files report size 0, so Files.readString
     * (which first reads 1 byte, then continues at offset 1) returns only the first character: "4" for 4096.
     */
    static String readWhole(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[65536];
            int n = in.read(buf, 0, buf.length);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }

    public OptionalInt readInt(String name) {
        Optional<String> v = read(name);
        if (v.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(v.get()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** net.core.somaxconn of this namespace, or -1 when it cannot be read. */
    public int somaxconn() {
        return readInt("net.core.somaxconn").orElse(-1);
    }

    /** Every setting of {@link #DECISIVE}, with "n/a" for those this kernel does not have. */
    public Map<String, String> decisive() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : DECISIVE) {
            out.put(name, read(name).orElse("n/a"));
        }
        return out;
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?\\d{1,10}");

    /**
     * Null when {@code value} can be written to {@code name}; else what is wrong (and what was expected). One integer
     * for the decisive settings ({@link #DECISIVE}), two for ip_local_port_range; for any other key whose current
     * value here is numbers, as many numbers; any other value one line without '='.
     */
    public String valueProblem(String name, String value) {
        if (value.isEmpty() || value.contains("\n") || value.contains("=")) {
            return "is not a sysctl value (expected one line without '=', e.g. 128)";
        }
        String[] parts = value.split("\\s+");
        if (!DECISIVE.contains(name)) {
            Optional<String> now = read(name);
            if (now.isEmpty() || now.get().isEmpty()) {
                return null; // not a setting of this kernel: the lab says so when it writes it
            }
            String[] current = now.get().split(" ");
            boolean numeric = true;
            for (String c : current) {
                numeric &= NUMBER.matcher(c).matches();
            }
            if (!numeric) {
                return null;
            }
            boolean same = parts.length == current.length;
            for (String part : parts) {
                same &= NUMBER.matcher(part).matches();
            }
            return same ? null : "is not " + (current.length == 1 ? "a number" : current.length + " numbers")
                    + " (this kernel's " + name + " is '" + now.get() + "')";
        }
        boolean range = name.equals("net.ipv4.ip_local_port_range");
        boolean numbers = parts.length == (range ? 2 : 1);
        for (String part : parts) {
            numbers &= NUMBER.matcher(part).matches();
        }
        if (!numbers) {
            return range ? "is not a port range (expected two numbers, e.g. '32768 60999')"
                    : "is not a number (expected an integer, e.g. " + (name.equals("net.core.somaxconn") ? "4096" : "1") + ")";
        }
        if (range) {
            long lo = Long.parseLong(parts[0]);
            long hi = Long.parseLong(parts[1]);
            return lo >= 1 && hi <= 65535 && lo <= hi ? null
                    : "is not a port range (expected LOW HIGH with 1 <= LOW <= HIGH <= 65535, e.g. '32768 60999')";
        }
        long n = Long.parseLong(parts[0]);
        return n >= 0 && n <= Integer.MAX_VALUE ? null : "is out of range (expected an integer from 0 to 2147483647)";
    }
}
