package io.conlimit.target;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * A running target server. Start one with {@link TargetServers#start(ServerConfig)}; {@link #close()}
 * stops it and joins every thread it started.
 */
public interface TargetServer extends AutoCloseable {

    ServerConfig config();

    /** The bound listening address (the real port when 0 was asked). */
    InetSocketAddress address();

    /** Requested and effective backlog, read from the kernel after listen(). */
    BacklogReport backlog();

    ServerStats stats();

    /** Where the JSON stats endpoint listens, when one was asked for. */
    Optional<InetSocketAddress> statsAddress();

    /** The one line printed on start: kind, address, workers, requested/effective backlog, somaxconn. */
    String startLine();

    /**
     * Every warning to print after the start line (each as {@code warning: TEXT}): the backlog's, plus
     * anything the kind adds (e.g. event-loop falling back from epoll to NIO).
     */
    default List<String> warnings() {
        return backlog().warnings();
    }

    /** Stops accepting, closes every connection, joins all threads. Idempotent. */
    @Override
    void close();
}
