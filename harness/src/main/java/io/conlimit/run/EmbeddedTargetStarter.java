package io.conlimit.run;

import io.conlimit.target.ServerConfig;
import io.conlimit.target.TargetServer;

/** Starts an embedded target server for a run (TargetSpec.Embedded). */
@FunctionalInterface
public interface EmbeddedTargetStarter {
    TargetServer start(ServerConfig config) throws Exception;

    /** The starter conlimit uses. */
    static EmbeddedTargetStarter standard() {
        return io.conlimit.target.TargetServers::start;
    }
}
