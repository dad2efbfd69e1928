package io.conlimit.theory;

import java.util.Locale;

/** What stops more connections from getting in. */
public enum BindingLimit {
    /** The accept queue (B+1) is what fills. */
    BACKLOG,
    /** Busy workers (W, and the hand-off queue Q) are what fills, the backlog only adds B+1. */
    WORKERS,
    /** The backlog asked for was cut by net.core.somaxconn: the clamp is the limit. */
    SOMAXCONN_CLAMP,
    /** Arrivals outrun the service rate mu: any queue fills, then SYNs are dropped. */
    SERVICE_RATE,
    /** The generator's own limit (probe cap, open files, ports), not the server's. */
    CLIENT,
    /** The server's application refuses past its own connection limit after accepting (max_connections, maxclients, -c). */
    APPLICATION,
    /** Nothing binds at this load (or the server is not backlog-bound at all). */
    NONE;

    /** The name in summary.json: backlog, workers, somaxconn-clamp, service-rate, client, application, none. */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
