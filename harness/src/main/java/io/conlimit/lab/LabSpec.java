package io.conlimit.lab;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a namespace lab is made of: its run id and the sysctls of its server and client namespaces (a
 * scenario's {@code target.lab: { kind: netns, server: { sysctls }, client: { sysctls } }}). Immutable;
 * built with {@link #builder()}. Only {@code net.*} settings are accepted: they are the ones that belong to
 * a network namespace; anything else would be written to the host's kernel.
 */
public final class LabSpec {
    private static final Pattern KEY = Pattern.compile("net(\\.[A-Za-z0-9_-]+)+");

    private final String runId;
    private final Map<String, String> serverSysctls;
    private final Map<String, String> clientSysctls;

    private LabSpec(Builder b) {
        this.runId = b.runId == null ? LabNames.newRunId() : b.runId;
        this.serverSysctls = Collections.unmodifiableMap(new LinkedHashMap<>(b.server));
        this.clientSysctls = Collections.unmodifiableMap(new LinkedHashMap<>(b.client));
    }

    public static Builder builder() {
        return new Builder();
    }

    public String runId() {
        return runId;
    }

    /** Applied in the server namespace, in insertion order. */
    public Map<String, String> serverSysctls() {
        return serverSysctls;
    }

    /** Applied in the client namespace, in insertion order. */
    public Map<String, String> clientSysctls() {
        return clientSysctls;
    }

    @Override
    public String toString() {
        return "lab " + runId + " server.sysctls=" + serverSysctls + " client.sysctls=" + clientSysctls;
    }

    public static final class Builder {
        private String runId;
        private final Map<String, String> server = new LinkedHashMap<>();
        private final Map<String, String> client = new LinkedHashMap<>();

        private Builder() {
        }

        /** Default: a fresh random id ({@link LabNames#newRunId()}). */
        public Builder runId(String v) {
            this.runId = LabNames.checkRunId(v);
            return this;
        }

        public Builder serverSysctl(String key, String value) {
            server.put(checkKey("server", key), checkValue("server", key, value));
            return this;
        }

        public Builder clientSysctl(String key, String value) {
            client.put(checkKey("client", key), checkValue("client", key, value));
            return this;
        }

        public Builder serverSysctls(Map<String, String> all) {
            all.forEach(this::serverSysctl);
            return this;
        }

        public Builder clientSysctls(Map<String, String> all) {
            all.forEach(this::clientSysctl);
            return this;
        }

        public LabSpec build() {
            return new LabSpec(this);
        }

        private static String checkKey(String side, String key) {
            if (key == null || !KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("lab." + side + ".sysctls: '" + key
                        + "' is not a network-namespace setting: only net.* keys (e.g. net.core.somaxconn) are "
                        + "per namespace; others would change the host's kernel");
            }
            return key;
        }

        private static String checkValue(String side, String key, String value) {
            Objects.requireNonNull(value, "lab." + side + ".sysctls." + key);
            String problem = new io.conlimit.kernel.Sysctls().valueProblem(key, value.trim());
            if (problem != null) {
                throw new IllegalArgumentException("lab." + side + ".sysctls." + key + ": '" + value + "' " + problem);
            }
            return value.trim();
        }
    }
}
