package io.conlimit.plan;

import io.conlimit.target.ServerConfig;

/** Where the load goes: an embedded target server started for the run, or an external host:port. */
public sealed interface TargetSpec {

    /** A target server started in-process for the run (loopback unless its config binds elsewhere). */
    record Embedded(ServerConfig server) implements TargetSpec {
    }

    /**
     * An external server. {@code agent} ("host:port", or null) is a conlimit agent on the server's machine;
     * {@code stats} ("host:port", or null) a target server's stats endpoint; {@code consent}: the scenario file
     * says {@code i-own-the-target: true} (load safety, docs/run.md#load-safety).
     */
    record External(String host, int port, String agent, String stats, boolean consent) implements TargetSpec {
        public External(String host, int port, String agent, String stats) {
            this(host, port, agent, stats, false);
        }
    }
}
