package io.conlimit.fleet;

import io.conlimit.kernel.ProcNet;
import io.conlimit.kernel.Sysctls;
import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Before a run: can this client hold what the plan asks for? Reads the open-file limit
 * (/proc/self/limits), net.ipv4.ip_local_port_range and the TIME_WAIT sockets (/proc/net/tcp, tcp6), and
 * warns in plain words when the generator itself would become the limit. The estimates are rough upper bounds.
 */
public final class ClientSelfCheck {
    /** Descriptors the JVM and the fleet use besides connections (jars, epoll, timers, files written). */
    static final int BASE_DESCRIPTORS = 100;
    /** How long a closed connection's port stays in TIME_WAIT (TCP_TIMEWAIT_LEN). */
    static final long TIME_WAIT_NANOS = 60_000_000_000L;

    private final Path proc;

    public ClientSelfCheck() {
        this(Path.of("/proc"));
    }

    /** For tests: another root laid out like /proc. */
    public ClientSelfCheck(Path proc) {
        this.proc = proc;
    }

    /** The soft "Max open files" of this process, Long.MAX_VALUE when unlimited, -1 when unreadable. */
    public long openFileLimit() {
        return io.conlimit.kernel.KernelInfo.openFileLimits(proc.resolve("self/limits"))[0];
    }

    /** net.ipv4.ip_local_port_range as {low, high}, or null when unreadable (read by the kernel package's {@link Sysctls}). */
    public int[] portRange() {
        Optional<String> v = new Sysctls(proc.resolve("sys")).read("net.ipv4.ip_local_port_range");
        if (v.isEmpty()) {
            return null;
        }
        String[] parts = v.get().split(" ");
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Sockets in TIME_WAIT in /proc/net/tcp and /proc/net/tcp6 of this namespace (read by the kernel package's {@link ProcNet}); 0 when unreadable. */
    public int timeWaitCount() {
        try (ProcNet net = ProcNet.at(proc.resolve("net"))) {
            return (int) net.sockets().stream().filter(s -> s.state().equals("TIME-WAIT")).count();
        } catch (IOException e) {
            return 0; // no table to read: nothing to count
        }
    }

    /** At most how many connections the plan keeps open at once (every connect assumed to use its full timeouts). */
    public static long connectionsAtOnce(ClientOptions client, List<LoadPhase> phases) {
        long window = client.connectTimeout().toNanos()
                + (client.probe() instanceof io.conlimit.plan.Probe.Connect ? 0 : client.responseTimeout().toNanos())
                + (client.holdUntilEnd() ? 0 : client.hold().toNanos());
        long accumulated = 0;
        long peak = 0;
        for (LoadPhase p : phases) {
            if (p instanceof LoadPhase.HoldProbe h) {
                accumulated += h.maxHeld();
                peak = Math.max(peak, accumulated);
            } else if (p instanceof LoadPhase.Burst b) {
                if (client.holdUntilEnd()) {
                    accumulated += b.connections();
                }
                peak = Math.max(peak, accumulated + (client.holdUntilEnd() ? 0 : b.connections()));
            } else if (p instanceof LoadPhase.Rate || p instanceof LoadPhase.Ramp) {
                double maxRate = p instanceof LoadPhase.Rate r ? r.perSecond()
                        : Math.max(((LoadPhase.Ramp) p).fromPerSecond(), ((LoadPhase.Ramp) p).toPerSecond());
                long total = (long) Math.ceil(ArrivalSchedule.of(p, 0).expectedCount());
                if (client.holdUntilEnd()) {
                    accumulated += total;
                    peak = Math.max(peak, accumulated);
                } else {
                    peak = Math.max(peak, accumulated + Math.min(total, (long) Math.ceil(maxRate * window / 1e9)));
                }
            }
        }
        return peak;
    }

    /** Connections closed within any 60 s (TIME_WAIT) window: what a FIN-closing client leaves behind. */
    static long closedWithinTimeWait(List<LoadPhase> phases) {
        long total = 0;
        for (LoadPhase p : phases) {
            if (p instanceof LoadPhase.Burst b) {
                total += b.connections();
            } else if (p instanceof LoadPhase.Rate || p instanceof LoadPhase.Ramp) {
                total += (long) Math.ceil(ArrivalSchedule.of(p, 0).expectedCount());
            } else if (p instanceof LoadPhase.HoldProbe h) {
                total += h.maxHeld();
            }
        }
        return total;
    }

    /**
     * Plain-words warnings; empty when the client can hold the plan.
     *
     * @param embeddedTarget the target runs in this process: its accepted sockets use descriptors too
     */
    public List<String> warnings(ClientOptions client, List<LoadPhase> phases, boolean embeddedTarget) {
        List<String> out = new ArrayList<>();
        long atOnce = connectionsAtOnce(client, phases);
        long descriptors = atOnce * (embeddedTarget ? 2 : 1) + BASE_DESCRIPTORS;
        long limit = openFileLimit();
        if (limit < 0) {
            out.add("could not read the open-file limit (/proc/self/limits): client-limited outcomes may appear");
        } else if (descriptors > limit) {
            out.add(String.format(Locale.ROOT, "the plan may keep up to %,d connections open at once%s, but this process may "
                    + "open only %,d files (ulimit -n): connects beyond that fail as client-limited (EMFILE), "
                    + "which is the client's limit, not the server's", atOnce,
                    embeddedTarget ? " (x2: the embedded target's sockets count too)" : "", limit));
        }
        int[] range = portRange();
        int sources = Math.max(1, client.sources().size());
        if (range == null) {
            out.add("could not read net.ipv4.ip_local_port_range");
        } else {
            long ports = (long) (range[1] - range[0] + 1) * sources;
            if (atOnce > ports) {
                out.add(String.format(Locale.ROOT, "the plan may keep up to %,d connections open at once but %s has only %,d "
                        + "ephemeral ports (ip_local_port_range %d-%d): connects beyond that fail as client-limited "
                        + "(EADDRNOTAVAIL); spread them with --source 127.0.0.1-127.0.0.8",
                        atOnce, sources == 1 ? "one source address" : sources + " source addresses", ports, range[0], range[1]));
            }
            int timeWait = timeWaitCount();
            long closing = client.closeMode() == ClientOptions.CloseMode.FIN ? closedWithinTimeWait(phases) : 0;
            if (timeWait + closing > ports) {
                out.add(String.format(Locale.ROOT, "%,d sockets are in TIME_WAIT now and closing with FIN adds up to %,d more "
                        + "(each keeps its port 60 s), against %,d ephemeral ports: use --close rst, --source, "
                        + "or wait for TIME_WAIT to drain", timeWait, closing, ports));
            } else if (timeWait > ports / 2) {
                out.add(String.format(Locale.ROOT, "%,d sockets are in TIME_WAIT (more than half of %,d ephemeral ports): "
                        + "earlier runs still hold ports", timeWait, ports));
            }
        }
        return out;
    }
}
