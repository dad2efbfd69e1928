package io.conlimit.target.servers;

import io.conlimit.target.BacklogReport;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerStats;
import io.conlimit.target.TargetServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every target server shares: the configuration, counters, the backlog report read after
 * listen(), the optional stats endpoint, the start line, and an idempotent close().
 * Subclasses bind in {@link #bind()}, start their threads in {@link #startServing()} and stop them in
 * {@link #stopServing()}.
 */
abstract class BaseServer implements TargetServer {
    /** How long close() waits for the server's threads to end. */
    static final long JOIN_MILLIS = 10_000;

    protected final ServerConfig config;
    protected final ServerCounters counters = new ServerCounters();
    /** Counted down when close() begins: holds waiting on it end. */
    protected final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private InetSocketAddress address;
    private BacklogReport backlog;
    private StatsEndpoint stats;
    private String startLine;

    BaseServer(ServerConfig config) {
        this.config = config;
    }

    /** Binds the listener with the request's value and returns the bound address. */
    protected abstract InetSocketAddress bind() throws IOException;

    protected abstract void startServing() throws IOException;

    /** Stops accepting, closes every connection and joins every thread. Called once. */
    protected abstract void stopServing();

    /** The {@code workers=} value of the start line. */
    protected int workersShown() {
        return config.workers();
    }

    /** Binds, reads the backlog from the kernel, opens the stats endpoint, starts serving; closes all on failure. */
    final void open() throws IOException {
        try {
            address = bind();
            backlog = BacklogInspector.inspect(config.backlog(), address);
            if (config.statsPort() >= 0) {
                stats = StatsEndpoint.start(config.statsBind(), config.statsPort(),
                        "conlimit-" + config.kind().cliName() + "-stats", this::statsJson);
            }
            startLine = StartLine.serving(config, address, workersShown(), backlog, statsAddress());
            startServing();
        } catch (IOException | RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The JSON served at {@code GET /stats}. */
    public String statsJson() {
        return StatsJson.of(config.kind().cliName(), address, stats(), backlog);
    }

    @Override
    public ServerConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public BacklogReport backlog() {
        return backlog;
    }

    @Override
    public ServerStats stats() {
        return counters.snapshot();
    }

    @Override
    public Optional<InetSocketAddress> statsAddress() {
        return stats == null ? Optional.empty() : Optional.of(stats.address());
    }

    @Override
    public String startLine() {
        return startLine;
    }

    /** The {@code stopped ...} line with the counters as they are now. */
    public String stoppedLine() {
        return StartLine.stopped(config, address, stats());
    }

    @Override
    public final void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        stopped.countDown();
        try {
            stopServing();
        } finally {
            if (stats != null) {
                stats.close();
            }
        }
    }

    @Override
    public String toString() {
        return startLine == null ? config.toString() : startLine;
    }
}
