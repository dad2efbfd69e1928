package io.conlimit.lab;

import java.security.SecureRandom;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names the namespace lab gives to what it creates, so that leftovers can be found and removed:
 * namespaces {@code conlimit-lab-<runid>-srv} and {@code conlimit-lab-<runid>-cli}, joined by a veth pair
 * whose ends are {@code lab-srv} (in the server namespace) and {@code lab-cli} (in the client namespace).
 * The veth ends are created directly inside their namespaces, so nothing appears in the host's.
 */
public final class LabNames {
    /** Every namespace the lab creates starts with this; {@code conlimit lab clean} removes what matches it. */
    public static final String PREFIX = "conlimit-lab-";
    public static final String SERVER_SUFFIX = "-srv";
    public static final String CLIENT_SUFFIX = "-cli";
    /** The veth end inside the server namespace. */
    public static final String SERVER_INTERFACE = "lab-srv";
    /** The veth end inside the client namespace. */
    public static final String CLIENT_INTERFACE = "lab-cli";

    private static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private LabNames() {
    }

    /** A fresh run id: 8 lowercase hex digits. */
    public static String newRunId() {
        return String.format("%08x", RANDOM.nextInt());
    }

    /** @throws IllegalArgumentException naming the rule when {@code runId} cannot be part of a namespace name */
    public static String checkRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("lab run id '" + runId
                    + "': use 1 to 40 characters a-z, 0-9 and '-', starting with a letter or digit");
        }
        return runId;
    }

    public static String serverNamespace(String runId) {
        return PREFIX + checkRunId(runId) + SERVER_SUFFIX;
    }

    public static String clientNamespace(String runId) {
        return PREFIX + checkRunId(runId) + CLIENT_SUFFIX;
    }

    /** Whether {@code namespace} is one the lab creates (by name). */
    public static boolean isLabNamespace(String namespace) {
        return runIdOf(namespace).isPresent();
    }

    /** The run id of a lab namespace's name, or empty when the name is not a lab's. */
    public static Optional<String> runIdOf(String namespace) {
        if (namespace == null || !namespace.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = namespace.substring(PREFIX.length());
        for (String suffix : new String[] {SERVER_SUFFIX, CLIENT_SUFFIX}) {
            if (rest.endsWith(suffix)) {
                String id = rest.substring(0, rest.length() - suffix.length());
                return RUN_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
            }
        }
        return Optional.empty();
    }
}
