package io.conlimit.target.servers;

import io.conlimit.target.ServerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * One thread: {@code accept()}, hand the socket to a handler thread of its own, sleep --accept-delay,
 * repeat. Handlers are not limited in number, so the accept rate 1/delay is the only limit: arrivals
 * faster than that fill the backlog (B + 1) and the rest are dropped until the acceptor comes back.
 */
public final class SleepyAcceptServer extends BaseServer {
    /** How many accept instants {@link #acceptTimesNanos()} keeps (the first ones). */
    public static final int KEPT_ACCEPT_TIMES = 100_000;

    private final ServerThreads threads;
    private final OpenSockets open = new OpenSockets();
    private final List<Long> acceptTimes = new ArrayList<>();
    private ServerSocket listener;

    private SleepyAcceptServer(ServerConfig config) {
        super(config);
        this.threads = new ServerThreads(config.kind().cliName());
    }

    public static SleepyAcceptServer start(ServerConfig config) throws IOException {
        SleepyAcceptServer s = new SleepyAcceptServer(config);
        s.open();
        return s;
    }

    /** One accepting thread; handlers are a thread per connection. */
    @Override
    protected int workersShown() {
        return 1;
    }

    @Override
    protected InetSocketAddress bind() throws IOException {
        listener = Listeners.bind(config);
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    @Override
    protected void startServing() {
        ConnectionService service = new ConnectionService(config, counters, open, stopped);
        threads.start("acceptor", () -> acceptLoop(service));
    }

    /** System.nanoTime() right after each accept() returned, in order (the first {@link #KEPT_ACCEPT_TIMES}). */
    public synchronized long[] acceptTimesNanos() {
        return acceptTimes.stream().mapToLong(Long::longValue).toArray();
    }

    private void acceptLoop(ConnectionService service) {
        long delayNanos = config.acceptDelay().toNanos();
        while (stopped.getCount() > 0) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (stopped.getCount() == 0 || listener.isClosed()) {
                    return;
                }
                Pause.afterAcceptError(stopped);
                continue;
            }
            long now = System.nanoTime();
            synchronized (this) {
                if (acceptTimes.size() < KEPT_ACCEPT_TIMES) {
                    acceptTimes.add(now);
                }
            }
            counters.accepted();
            try {
                threads.start("handler", () -> service.serve(socket));
            } catch (IllegalStateException stopping) {
                OpenSockets.closeQuietly(socket);
                counters.closed();
                return;
            }
            try {
                Thread.sleep(delayNanos / 1_000_000L, (int) (delayNanos % 1_000_000L));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    protected void stopServing() {
        Listeners.closeQuietly(listener);
        open.closeAll();
        threads.stopAndJoin(JOIN_MILLIS);
    }
}
