package io.conlimit.run;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.function.Predicate;

/**
 * Where a run's server-kernel evidence comes from: the agent named with {@code --agent}; else this machine's own
 * kernel when the target is embedded or its address belongs to this machine (loopback, the wildcard, or an
 * address of one of its interfaces); else nowhere, and {@link #reason()} says how to get it.
 *
 * @param kind   agent, local or none
 * @param reason one line for the user: why this source (or why none, and what to do)
 */
public record EvidenceSourceChoice(Kind kind, String reason) {

    public enum Kind {
        /** A conlimit agent on the server's machine. */
        AGENT,
        /** This process's network namespace: read directly. */
        LOCAL,
        /** Another network namespace of this machine, named with {@code --server-netns}: read through ip netns exec. */
        NAMESPACE,
        /** The server's kernel is not observed. */
        NONE
    }

    /**
     * @param agent    the {@code --agent HOST:PORT} given, or null
     * @param embedded the target runs inside this process
     * @param target   the target's address as the client connects to it
     * @param isLocal  whether an address belongs to this machine (normally {@link #isLocalAddress})
     */
    public static EvidenceSourceChoice choose(String agent, boolean embedded, InetAddress target,
                                              Predicate<InetAddress> isLocal) {
        return choose(agent, null, embedded, target, isLocal);
    }

    /**
     * @param serverNetns the {@code --server-netns NAME} given (the server runs in that namespace of this
     *                    machine, e.g. a lab's), or null
     */
    public static EvidenceSourceChoice choose(String agent, String serverNetns, boolean embedded, InetAddress target,
                                              Predicate<InetAddress> isLocal) {
        if (agent != null && serverNetns != null) {
            throw new IllegalArgumentException("--server-netns contradicts --agent: give one source of the server's kernel");
        }
        if (serverNetns != null) {
            return new EvidenceSourceChoice(Kind.NAMESPACE, "the network namespace " + serverNetns + " (--server-netns)");
        }
        if (agent != null) {
            return new EvidenceSourceChoice(Kind.AGENT, "the conlimit agent at " + agent + " (--agent)");
        }
        if (embedded) {
            return new EvidenceSourceChoice(Kind.LOCAL, "the embedded target runs in this process: its kernel is ours");
        }
        String addr = target.getHostAddress();
        if (isLocal.test(target)) {
            return new EvidenceSourceChoice(Kind.LOCAL, "the target address " + addr + " belongs to this machine");
        }
        return new EvidenceSourceChoice(Kind.NONE, "the target " + addr + " is not on this machine, so its server's"
                + " kernel is not observed (no accept-queue or drop counts beside this run). To get them, run"
                + " `conlimit agent --listen 0.0.0.0:7070 --token T` on the server and add --agent SERVER:7070"
                + " --agent-token T");
    }

    /** Loopback, the wildcard, or an address of one of this machine's interfaces (asked of the OS, no traffic). */
    public static boolean isLocalAddress(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(a) != null;
        } catch (SocketException e) {
            return false;
        }
    }
}
