package io.conlimit.target;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything that defines a target server, immutable. Built with {@link #builder(ServerKind)}; the
 * same fields as the {@code conlimit serve} options and a scenario's {@code target.embedded}.
 */
public final class ServerConfig {
    private final ServerKind kind;
    private final String bind;
    private final int port;
    private final BacklogRequest backlog;
    private final int workers;
    private final int queue;
    private final Duration acceptDelay;
    private final HoldSpec hold;
    private final String banner;
    private final boolean echo;
    private final String respond;
    private final int statsPort;
    private final String statsBind;

    /**
     * What every built-in target sends on each connection it accepts, unless told otherwise: a client that reads it
     * (the {@code banner} probe) knows that a worker of the server's application took its connection, which a
     * completed handshake alone does not say (a full accept queue, SYN cookies, TCP_DEFER_ACCEPT).
     */
    public static final String DEFAULT_BANNER = "conlimit-target ready";

    private ServerConfig(Builder b) {
        this.kind = b.kind;
        this.bind = b.bind;
        this.port = b.port;
        this.backlog = b.backlog;
        this.workers = b.workers;
        this.queue = b.queue;
        this.acceptDelay = b.acceptDelay;
        this.hold = b.hold;
        this.banner = b.banner;
        this.echo = b.echo;
        this.respond = b.respond;
        this.statsPort = b.statsPort;
        this.statsBind = b.statsBind;
    }

    public static Builder builder(ServerKind kind) {
        return new Builder(kind);
    }

    /** A builder holding this configuration's values, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder(kind);
        b.bind = bind;
        b.port = port;
        b.backlog = backlog;
        b.workers = workers;
        b.queue = queue;
        b.acceptDelay = acceptDelay;
        b.hold = hold;
        b.banner = banner;
        b.echo = echo;
        b.respond = respond;
        b.statsPort = statsPort;
        b.statsBind = statsBind;
        return b;
    }

    public ServerKind kind() { return kind; }
    /** Address to bind; 127.0.0.1 unless asked: giving another address is the explicit request. */
    public String bind() { return bind; }
    /** 0 = ephemeral. */
    public int port() { return port; }
    public BacklogRequest backlog() { return backlog; }
    /** W: worker threads (blocking-pool, thread-pool; sleepy-accept's hand-off workers). */
    public int workers() { return workers; }
    /** Q: the thread-pool's bounded hand-off queue. */
    public int queue() { return queue; }
    /** sleepy-accept's pause after each accept(). */
    public Duration acceptDelay() { return acceptDelay; }
    public HoldSpec hold() { return hold; }
    /** Sent on accept, or null. */
    public String banner() { return banner; }
    /** Echo each received line. */
    public boolean echo() { return echo; }
    /** Answer each received line with this text, or null. */
    public String respond() { return respond; }
    /** -1 = no stats endpoint, 0 = ephemeral. */
    public int statsPort() { return statsPort; }
    public String statsBind() { return statsBind; }

    @Override
    public String toString() {
        return kind + " bind=" + bind + ":" + port + " backlog=" + backlog + " workers=" + workers
                + (kind == ServerKind.THREAD_POOL ? " queue=" + queue : "")
                + (kind == ServerKind.SLEEPY_ACCEPT ? " accept-delay=" + Durations.format(acceptDelay) : "")
                + " hold=" + hold;
    }

    public static final class Builder {
        private final ServerKind kind;
        private String bind = "127.0.0.1";
        private int port = 0;
        private BacklogRequest backlog = BacklogRequest.of(128);
        private int workers = 4;
        private int queue = 0;
        private Duration acceptDelay = Duration.ofMillis(100);
        private HoldSpec hold = new HoldSpec.Fixed(Duration.ZERO);
        private String banner = DEFAULT_BANNER;
        private boolean echo;
        private String respond;
        private int statsPort = -1;
        private String statsBind = "127.0.0.1";

        private Builder(ServerKind kind) {
            this.kind = Objects.requireNonNull(kind);
        }

        public Builder bind(String v) { this.bind = Objects.requireNonNull(v); return this; }
        public Builder port(int v) { this.port = v; return this; }
        public Builder backlog(BacklogRequest v) { this.backlog = Objects.requireNonNull(v); return this; }
        public Builder workers(int v) { this.workers = v; return this; }
        public Builder queue(int v) { this.queue = v; return this; }
        public Builder acceptDelay(Duration v) { this.acceptDelay = Objects.requireNonNull(v); return this; }
        public Builder hold(HoldSpec v) { this.hold = Objects.requireNonNull(v); return this; }
        /** The greeting sent on accept; null or empty: none. */
        public Builder banner(String v) { this.banner = v == null || v.isEmpty() ? null : v; return this; }
        public Builder echo(boolean v) { this.echo = v; return this; }
        public Builder respond(String v) { this.respond = v; return this; }
        public Builder statsPort(int v) { this.statsPort = v; return this; }
        public Builder statsBind(String v) { this.statsBind = Objects.requireNonNull(v); return this; }

        /** The most worker threads a target starts (docs/serve.md). */
        public static final int MAX_WORKERS = 10_000;
        /** The longest thread-pool hand-off queue (an array of this many slots is allocated). */
        public static final int MAX_QUEUE = 1_000_000;

        /** @throws IllegalArgumentException naming the offending option */
        public ServerConfig build() {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("--port must be 0..65535, got " + port);
            }
            if (workers < 1 && kind != ServerKind.EVENT_LOOP) {
                throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
            }
            if (workers > MAX_WORKERS) {
                throw new IllegalArgumentException("--workers " + workers + " is more than " + MAX_WORKERS
                        + ": every worker is a thread started with the server (a thread-per-connection server with more "
                        + "is not what these targets model)");
            }
            if (queue < 0 || queue > MAX_QUEUE) {
                throw new IllegalArgumentException("--queue must be 0.." + MAX_QUEUE + ", got " + queue);
            }
            if (queue > 0 && kind != ServerKind.THREAD_POOL) {
                throw new IllegalArgumentException("--queue applies to thread-pool only, not " + kind);
            }
            if (acceptDelay.isNegative()) {
                throw new IllegalArgumentException("--accept-delay must not be negative");
            }
            if (echo && respond != null) {
                throw new IllegalArgumentException("--echo and --respond exclude each other");
            }
            if (statsPort < -1 || statsPort > 65535) {
                throw new IllegalArgumentException("--stats-port must be 0..65535, got " + statsPort);
            }
            return new ServerConfig(this);
        }
    }
}
