package io.conlimit.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the namespace lab needs from the host: root (effective uid 0), iproute2's ip and procps' sysctl. */
final class LabHost {
    static final String NEEDS_ROOT = "the namespace lab needs root: ";
    private static final List<String> DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private LabHost() {
    }

    static Optional<String> unavailableReason() {
        long euid = effectiveUid();
        if (euid != 0) {
            return Optional.of(NEEDS_ROOT + "running as " + (euid < 0 ? "an unknown user" : "uid " + euid)
                    + " (" + System.getProperty("user.name") + "); it creates network namespaces and veth "
                    + "links (run it with sudo, or as root in CI)");
        }
        if (!onPath("ip")) {
            return Optional.of("the namespace lab needs iproute2's ip command (apt-get install iproute2)");
        }
        if (!onPath("sysctl")) {
            return Optional.of("the namespace lab needs procps' sysctl command (apt-get install procps)");
        }
        return Optional.empty();
    }

    /** The effective uid from /proc/self/status, -1 when it cannot be read. */
    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static boolean onPath(String tool) {
        return DIRS.stream().anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
