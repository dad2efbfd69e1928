package io.conlimit.run;

import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.RunPlan;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Load safety (issue 17, item 5): a load generator must not be pointed at someone else's machine by a typo. A
 * target counts as <b>on this machine</b> when it is embedded, one of this machine's addresses (loopback
 * included), or a neighbour on a virtual link of this kernel: the route to it is direct (no gateway) over a veth,
 * or over a bridge whose ports are all virtual (Docker's bridges; a lab's namespaces). Any other target receives at
 * most {@link #SMALL_LOAD} connections without consent; more need {@code --i-own-the-target}, and the refusal says
 * what would have been sent to whom.
 */
public final class LoadConsent implements RunObserver {
    /** The most connections a run may send to a target not on this machine without consent. */
    public static final long SMALL_LOAD = 100;
    public static final String FLAG = "--i-own-the-target";

    private final boolean consent;

    /** @param consent {@code --i-own-the-target} was given */
    public LoadConsent(boolean consent) {
        this.consent = consent;
    }

    @Override
    public void preflight(RunPlan plan, InetSocketAddress target, boolean embedded) {
        if (embedded || onThisMachine(target.getAddress())) {
            return;
        }
        long n = connections(plan);
        String what = String.format(Locale.ROOT, "%,d connections (%s) to %s:%d", n,
                String.join(", ", plan.phases().stream().filter(LoadPhase::opensConnections)
                        .map(io.conlimit.fleet.Fleet::describe).toList()),
                target.getAddress().getHostAddress(), target.getPort());
        if (n <= SMALL_LOAD) {
            return;
        }
        boolean fileConsent = plan.target() instanceof io.conlimit.plan.TargetSpec.External x && x.consent();
        if (!consent && !fileConsent) {
            throw new IllegalArgumentException("refused: the target " + target.getAddress().getHostAddress()
                    + " is not on this machine, and this run would send it up to " + what + ", more than the "
                    + SMALL_LOAD + " sent without consent. If you own it or may load it, add " + FLAG
                    + " (or i-own-the-target: true under a scenario file's target; docs/run.md#load-safety); else check the address");
        }
        System.err.println("load consent (" + (consent ? FLAG : "target.i-own-the-target in the scenario file") + "): sending up to "
                + what + ", a target not on this machine");
    }

    /** At most how many connections the plan opens: bursts, rate x duration, ramps' mean x duration, hold probes' cap. */
    static long connections(RunPlan plan) {
        double n = 0;
        for (LoadPhase p : plan.phases()) {
            if (p instanceof LoadPhase.Burst b) {
                n += b.connections();
            } else if (p instanceof LoadPhase.Rate r) {
                n += Math.ceil(r.perSecond() * r.duration().toNanos() / 1e9);
            } else if (p instanceof LoadPhase.Ramp r) {
                n += Math.ceil((r.fromPerSecond() + r.toPerSecond()) / 2 * r.duration().toNanos() / 1e9);
            } else if (p instanceof LoadPhase.HoldProbe h) {
                n += 2L * h.maxHeld() + h.stopAfterFailures(); // the probe's own bound on attempts
            }
        }
        return (long) n;
    }

    /** This machine's address, or a neighbour on a virtual link of this kernel (veth, all-virtual bridge). */
    public static boolean onThisMachine(InetAddress a) {
        if (EvidenceSourceChoice.isLocalAddress(a)) {
            return true;
        }
        String dev = directDevice(a);
        return dev != null && virtualLink(dev);
    }

    /** The interface of a direct route to {@code a} (no gateway), or null. */
    static String directDevice(InetAddress a) {
        try {
            Process p = new ProcessBuilder("ip", "-o", "route", "get", a.getHostAddress()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            List<String> words = List.of(out.trim().split("\\s+"));
            int dev = words.indexOf("dev");
            return words.contains("via") || dev < 0 || dev + 1 >= words.size() ? null : words.get(dev + 1);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A veth, or a bridge with only virtual ports. */
    static boolean virtualLink(String dev) {
        Path sys = Path.of("/sys/class/net", dev);
        if (!Files.exists(Path.of("/sys/devices/virtual/net", dev))) {
            return false; // a physical NIC: its neighbours are other machines
        }
        if (Files.isDirectory(sys.resolve("bridge"))) {
            try (var ports = Files.list(sys.resolve("brif"))) {
                return ports.allMatch(port -> Files.exists(Path.of("/sys/devices/virtual/net", port.getFileName().toString())));
            } catch (IOException e) {
                return false;
            }
        }
        return isVeth(dev); // other virtual devices (tun, wireguard, vxlan) may reach other machines
    }

    private static boolean isVeth(String dev) {
        try {
            Process p = new ProcessBuilder("ip", "-d", "-o", "link", "show", "dev", dev).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("(?s).*\\sveth\\s.*");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
