package io.conlimit.run;

import io.conlimit.target.ServerConfig;
import io.conlimit.target.TargetServer;

/** Starts an embedded target server for a run (TargetSpec.Embedded). */
@FunctionalInterface
public interface EmbeddedTargetStarter {
    TargetServer start(ServerConfig config) throws Exception;

    /** The starter conlimit uses. */
    static EmbeddedTargetStarter standard() {
        // INTEGRATION POINT (the one call site): replace the lambda below with
        //     return io.conlimit.target.TargetServers::start;
        // once io.conlimit.target.TargetServers (target-servers branch) is merged.
        return config -> {
            throw new IllegalStateException("embedded target servers are not wired into this build yet "
                    + "(io.conlimit.target.TargetServers): give --target HOST:PORT");
        };
    }
}
