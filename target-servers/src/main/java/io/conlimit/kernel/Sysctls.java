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
}
