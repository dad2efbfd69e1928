package io.conlimit.target.servers;

import io.conlimit.kernel.ListenQueues;
import io.conlimit.kernel.ListenSocket;
import io.conlimit.kernel.Sysctls;
import io.conlimit.target.BacklogReport;
import io.conlimit.target.BacklogRequest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks the kernel, after listen(), what became of a backlog request: the listener's maximum from
 * {@code ss -lnt} (Send-Q) and the namespace's somaxconn. Never computes a number and calls it measured:
 * when ss cannot tell, the effective backlog is -1 and the source says why.
 */
public final class BacklogInspector {
    /** BacklogReport.effectiveSource when the number came from the kernel. */
    public static final String SOURCE_SS = "ss -lnt";
    /** The compile-time SOMAXCONN of older C headers (and Python's socket.SOMAXCONN on older glibc). */
    public static final int OLD_SOMAXCONN_CONSTANT = 128;

    private BacklogInspector() {
    }

    /** Reads this process's namespace: {@code new Sysctls()}, {@code ListenQueues.find()}. */
    public static BacklogReport inspect(BacklogRequest request, InetSocketAddress bound) {
        return inspect(request, bound, new Sysctls().somaxconn(), ListenQueues.find());
    }

    static BacklogReport inspect(BacklogRequest request, InetSocketAddress bound, int somaxconn,
                                 Optional<ListenQueues> ss) {
        int effective = -1;
        String source;
        if (ss.isEmpty()) {
            source = "unknown: iproute2's ss is not installed, so the kernel's maximum cannot be read";
        } else {
            try {
                Optional<ListenSocket> socket = ss.get().find(Addresses.literal(bound), bound.getPort());
                if (socket.isPresent()) {
                    effective = socket.get().max();
                    source = SOURCE_SS;
                } else {
                    source = "unknown: ss -lnt shows no listener on " + Addresses.format(bound);
                }
            } catch (IOException e) {
                source = "unknown: " + e.getMessage();
            }
        }
        return new BacklogReport(request, request.passedToListen(), effective, source, somaxconn,
                warnings(request, effective, source, somaxconn));
    }

    static List<String> warnings(BacklogRequest request, int effective, String source, int somaxconn) {
        List<String> out = new ArrayList<>();
        int passed = request.passedToListen();
        switch (request.form()) {
            case DEFAULT -> out.add("--backlog default: Java's default backlog " + BacklogRequest.JAVA_DEFAULT
                    + " (ServerSocket replaces a backlog below 1 by " + BacklogRequest.JAVA_DEFAULT + ")");
            case NUMBER -> {
                int asked = request.value();
                if (asked < 1) {
                    out.add("backlog " + asked + " is below 1: Java's default backlog " + BacklogRequest.JAVA_DEFAULT
                            + " applies (ServerSocket replaces a backlog below 1 by " + BacklogRequest.JAVA_DEFAULT + ")");
                }
                if (somaxconn >= 0 && passed > somaxconn) {
                    out.add("asked for " + asked + ", the kernel silently clamped it to somaxconn " + somaxconn);
                }
                if (asked == OLD_SOMAXCONN_CONSTANT && somaxconn > OLD_SOMAXCONN_CONSTANT) {
                    out.add("backlog 128 is the old compile-time SOMAXCONN (C headers, Python's socket.SOMAXCONN on "
                            + "older glibc): the program gets 128 though the system allows " + somaxconn
                            + " (use --backlog max to get somaxconn)");
                }
            }
            case MAX -> {
                // asking for Integer.MAX_VALUE is asking for the clamp: nothing to warn about
            }
        }
        if (somaxconn < 0) {
            out.add("net.core.somaxconn cannot be read from /proc/sys: the clamp cannot be checked");
        }
        if (effective < 0) {
            out.add("effective backlog " + source);
        } else if (somaxconn >= 0 && effective != request.expectedEffective(somaxconn)) {
            out.add("the kernel reports a maximum of " + effective + " where min(" + passed + ", somaxconn "
                    + somaxconn + ") = " + request.expectedEffective(somaxconn) + " was expected");
        }
        return out;
    }
}
