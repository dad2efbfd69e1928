package io.conlimit.run;

import io.conlimit.fleet.ClientSelfCheck;
import io.conlimit.kernel.KernelInfo;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.RunPlan;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Loads this machine certainly cannot make, refused before anything starts (exit 2) with the limit and how to
 * raise it. Only what is certain: a burst opens all its sockets before it releases them, so a burst of N needs N
 * descriptors at once (2N with the embedded target, whose accepted sockets are in this process too) and, towards
 * one target, N distinct source ports. What is only likely (a rate whose connections may overlap) stays a
 * client self-check warning, and its casualties are {@code client-limited}.
 */
public final class LoadRefusals {
    private final ClientSelfCheck check;
    private final Path proc;

    public LoadRefusals() {
        this(new ClientSelfCheck(), Path.of("/proc"));
    }

    LoadRefusals(ClientSelfCheck check, Path proc) {
        this.check = check;
        this.proc = proc;
    }

    /** Why the plan cannot run here, or empty. */
    public Optional<String> refusal(RunPlan plan, boolean embeddedTarget) {
        long soft = check.openFileLimit();
        long hard = KernelInfo.openFileLimits(proc.resolve("self/limits"))[1];
        int[] range = check.portRange();
        int sources = Math.max(1, plan.client().sources().size());
        for (int i = 0; i < plan.phases().size(); i++) {
            if (!(plan.phases().get(i) instanceof LoadPhase.Burst b)) {
                continue;
            }
            long n = b.connections();
            long descriptors = n * (embeddedTarget ? 2 : 1) + 100;
            if (soft > 0 && descriptors > soft) {
                long fits = Math.max(0, (soft - 100) / (embeddedTarget ? 2 : 1));
                String raise = hard == Long.MAX_VALUE || hard > soft
                        ? "raise it with ulimit -n " + (hard == Long.MAX_VALUE || hard >= descriptors ? descriptors : hard)
                          + " (the hard limit is " + (hard == Long.MAX_VALUE ? "unlimited" : String.format(Locale.ROOT, "%,d", hard)) + ")"
                        : "the hard limit is " + String.format(Locale.ROOT, "%,d", hard) + " too: root raises it in "
                          + "/etc/security/limits.conf or with prlimit";
                return Optional.of(String.format(Locale.ROOT, "phase %d: a burst of %,d opens all its sockets at once, which needs "
                        + "%,d open files%s, but this process may open %,d (ulimit -n): at most %,d fit. Lower the burst, or %s",
                        i, n, descriptors, embeddedTarget ? " (x2: the embedded target's accepted sockets are in this process too)" : "",
                        soft, fits, raise));
            }
            if (range != null) {
                long ports = (long) (range[1] - range[0] + 1) * sources;
                if (n > ports) {
                    return Optional.of(String.format(Locale.ROOT, "phase %d: a burst of %,d needs as many source ports towards one "
                            + "target, but %s %,d (net.ipv4.ip_local_port_range %d-%d%s). Lower the burst, add source "
                            + "addresses (--source 127.0.0.1-127.0.0.8 for a loopback target), or widen the range with "
                            + "sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\"",
                            i, n, sources == 1 ? "one source address has" : sources + " source addresses have", ports,
                            range[0], range[1], sources == 1 ? "" : " each"));
                }
            }
        }
        return Optional.empty();
    }
}
