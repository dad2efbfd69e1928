package io.conlimit.target;

import io.conlimit.target.servers.BlockingPoolServer;
import io.conlimit.target.servers.EventLoopServer;
import io.conlimit.target.servers.SleepyAcceptServer;
import io.conlimit.target.servers.ThreadPoolServer;

import java.io.IOException;

/** Starts the target server a configuration describes. */
public final class TargetServers {
    private TargetServers() {
    }

    /**
     * Binds, reads the effective backlog from the kernel, opens the stats endpoint when asked, and starts
     * serving. The returned server is running; {@link TargetServer#close()} stops it.
     *
     * @throws java.net.BindException when the address cannot be bound; its message names address and port,
     *         e.g. "port 8080 on 127.0.0.1 is already in use"
     * @throws IOException when the server cannot start for another reason
     */
    public static TargetServer start(ServerConfig config) throws IOException {
        return switch (config.kind()) {
            case BLOCKING_POOL -> BlockingPoolServer.start(config);
            case THREAD_POOL -> ThreadPoolServer.start(config);
            case SLEEPY_ACCEPT -> SleepyAcceptServer.start(config);
            case EVENT_LOOP -> EventLoopServer.start(config);
        };
    }
}
