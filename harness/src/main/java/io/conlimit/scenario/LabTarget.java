package io.conlimit.scenario;

import io.conlimit.target.ServerConfig;

import java.util.Map;
import java.util.Objects;

/**
 * An isolated-kernel target ({@code target.lab} in a scenario): the server runs in its own network
 * namespace with {@code serverSysctls} applied, the client fleet in another with {@code clientSysctls}.
 * Only the description lives here; creating and running the lab is the lab's own code.
 *
 * @param kind          the isolation technique; only {@code netns} today
 * @param serverSysctls sysctl name (e.g. {@code net.core.somaxconn}) to value, applied in the server's namespace, in file order
 * @param clientSysctls the same for the client's namespace
 * @param server        the target server started inside the server namespace
 */
public record LabTarget(Kind kind, Map<String, String> serverSysctls, Map<String, String> clientSysctls,
                      ServerConfig server) {

    public enum Kind {
        NETNS("netns");

        private final String yamlName;

        Kind(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }
    }

    public LabTarget {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(server);
        serverSysctls = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(serverSysctls));
        clientSysctls = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(clientSysctls));
    }
}
