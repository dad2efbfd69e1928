package io.conlimit.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two facts about the target's listener that the server's kernel shows and a person setting up two machines needs to
 * hear (docs/two-machines.md): nothing listens on the address the client targets; the listener's backlog is below
 * what somaxconn allows now (the server was started before somaxconn was raised, or asks for less itself).
 */
final class ListenerWarnings {
    private ListenerWarnings() {
    }

    /**
     * When every sample found no listener on {@code listener}: what listens on its port instead ({@code onPort}, the
     * server namespace's listeners now; null when they could not be listed).
     */
    static Optional<String> noListener(String listener, long samples, int port, List<String> onPort) {
        if (samples == 0) {
            return Optional.empty();
        }
        StringBuilder w = new StringBuilder("nothing listened on ").append(listener).append(" on the server's side in any of its ")
                .append(samples).append(" samples");
        if (onPort == null) {
            return Optional.of(w.append(" (its listeners on port ").append(port).append(" could not be listed)").toString());
        }
        if (onPort.isEmpty()) {
            return Optional.of(w.append(", and nothing listens on port ").append(port)
                    .append(" there now: is the server running, on that port?").toString());
        }
        w.append("; on port ").append(port).append(" it listens on ").append(String.join(", ", onPort));
        if (onPort.stream().allMatch(ListenerWarnings::loopback)) {
            w.append(" (loopback only: no other machine can connect; start the server with --bind 0.0.0.0 or its own address)");
        }
        return Optional.of(w.toString());
    }

    private static boolean loopback(String local) {
        String a = local.substring(0, local.lastIndexOf(':')).replace("[", "").replace("]", "").replace("::ffff:", "");
        return a.startsWith("127.") || a.equals("::1");
    }

    /**
     * When the listener's backlog (Send-Q, as the kernel reports it) is below the server namespace's somaxconn now:
     * the listener keeps what it got at listen(), min(requested, somaxconn then).
     */
    static Optional<String> backlogBelowSomaxconn(int backlogSeen, Map<String, Object> serverSettings) {
        Integer somaxconn = somaxconn(serverSettings);
        if (backlogSeen < 0 || somaxconn == null || backlogSeen >= somaxconn) {
            return Optional.empty();
        }
        return Optional.of("the listener's backlog is " + backlogSeen + " (ss Send-Q) while net.core.somaxconn on the server"
                + " is now " + somaxconn + ": a listener keeps the backlog it got from listen(), min(asked, somaxconn at that"
                + " moment). Either the server started before somaxconn was raised (restart it to get up to " + somaxconn
                + ") or it asks for " + backlogSeen + " itself (a compile-time SOMAXCONN, a configured backlog: raise that)");
    }

    static Integer somaxconn(Map<String, Object> serverSettings) {
        if (serverSettings == null || !(serverSettings.get("sysctls") instanceof Map<?, ?> sysctls)) {
            return null;
        }
        Object v = sysctls.get("net.core.somaxconn");
        try {
            return v == null ? null : Integer.valueOf(v.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Adds {@code warning} to summary.json's "warnings" list (created when absent). */
    static void record(ObjectNode summary, String warning) {
        ArrayNode list = summary.has("warnings") && summary.get("warnings").isArray()
                ? (ArrayNode) summary.get("warnings") : summary.putArray("warnings");
        list.add(warning);
    }
}
