package io.conlimit.record;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.kernel.Sysctls;

import java.nio.file.Path;
import java.util.Optional;

/** The client side of run.json: what the generator ran on, read from the kernel and the JVM. */
final class ClientEnvironment {
    private ClientEnvironment() {
    }

    /** The conlimit version from the jar manifest, "dev" when run from classes. */
    static String conlimitVersion() {
        String v = RunRecording.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static ObjectNode read() {
        return read(Path.of("/proc/sys"), Path.of("/proc/self/limits"));
    }

    static ObjectNode read(Path procSys, Path limitsFile) {
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        env.put("hostname", sysctl(procSys, "kernel.hostname").orElseGet(ClientEnvironment::fallbackHostname));

        ObjectNode kernel = env.putObject("kernel");
        kernel.put("os_name", System.getProperty("os.name"));
        kernel.put("os_version", System.getProperty("os.version"));
        kernel.put("osrelease", sysctl(procSys, "kernel.osrelease").orElse("n/a"));

        ObjectNode sys = env.putObject("sysctls");
        for (String name : Sysctls.DECISIVE) {
            sys.put(name, sysctl(procSys, name).orElse("n/a"));
        }

        ObjectNode files = env.putObject("open_files");
        long[] nofile = openFileLimit(limitsFile);
        putLimit(files, "soft", nofile[0]);
        putLimit(files, "hard", nofile[1]);

        ObjectNode jvm = env.putObject("jvm");
        jvm.put("version", Runtime.version().toString());
        jvm.put("vendor", System.getProperty("java.vendor"));
        jvm.put("vm", System.getProperty("java.vm.name"));
        jvm.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        jvm.put("available_processors", Runtime.getRuntime().availableProcessors());
        return env;
    }

    /** A sysctl's value, whitespace collapsed, read from {@code procSys}. */
    static Optional<String> sysctl(Path procSys, String name) {
        return new Sysctls(procSys).read(name);
    }

    private static void putLimit(ObjectNode node, String key, long value) {
        if (value == Long.MAX_VALUE) {
            node.put(key, "unlimited");
        } else if (value < 0) {
            node.putNull(key);
        } else {
            node.put(key, value);
        }
    }

    /**
     * Soft and hard "Max open files" from a /proc/PID/limits file; Long.MAX_VALUE for unlimited, -1 when
     * the file or the line cannot be read.
     */
    static long[] openFileLimit(Path limitsFile) {
        return io.conlimit.kernel.KernelInfo.openFileLimits(limitsFile);
    }

    private static String fallbackHostname() {
        String env = System.getenv("HOSTNAME");
        return env == null ? "unknown" : env;
    }
}
