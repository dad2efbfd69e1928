package io.conlimit.target.servers;

import io.conlimit.target.ServerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;

/**
 * Tomcat style (maxThreads + acceptCount): one acceptor hands sockets to W workers through a bounded
 * queue of Q. The acceptor takes a permit from a Semaphore(W + Q) before each accept(), so it never
 * holds a socket it cannot place: with W busy and Q queued it stops calling accept() and the kernel
 * queues B + 1 more. Limit: W + Q + B + 1.
 */
public final class ThreadPoolServer extends BaseServer {
    private final ServerThreads threads;
    private final OpenSockets open = new OpenSockets();
    private final Semaphore permits;
    private final BlockingQueue<Socket> handoff;
    private ServerSocket listener;

    private ThreadPoolServer(ServerConfig config) {
        super(config);
        this.threads = new ServerThreads(config.kind().cliName());
        this.permits = new Semaphore(config.workers() + config.queue());
        this.handoff = config.queue() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(config.queue());
    }

    public static ThreadPoolServer start(ServerConfig config) throws IOException {
        ThreadPoolServer s = new ThreadPoolServer(config);
        s.open();
        return s;
    }

    @Override
    protected InetSocketAddress bind() throws IOException {
        listener = Listeners.bind(config);
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    @Override
    protected void startServing() {
        ConnectionService service = new ConnectionService(config, counters, open, stopped);
        for (int i = 0; i < config.workers(); i++) {
            threads.start("worker", () -> work(service));
        }
        threads.start("acceptor", this::acceptLoop);
    }

    private void acceptLoop() {
        try {
            while (stopped.getCount() > 0) {
                permits.acquire();
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException e) {
                    permits.release();
                    if (stopped.getCount() == 0 || listener.isClosed()) {
                        return;
                    }
                    Pause.afterAcceptError(stopped);
                    continue;
                }
                counters.accepted();
                counters.enqueued();
                if (!open.add(socket)) {
                    counters.dequeued();
                    counters.closed();
                    return;
                }
                try {
                    handoff.put(socket);
                } catch (InterruptedException e) {
                    OpenSockets.closeQuietly(socket);
                    counters.dequeued();
                    counters.closed();
                    return;
                }
            }
        } catch (InterruptedException e) {
            // close(): stop accepting
        }
    }

    private void work(ConnectionService service) {
        try {
            while (stopped.getCount() > 0) {
                Socket socket = handoff.take();
                counters.dequeued();
                try {
                    service.serve(socket);
                } finally {
                    permits.release();
                }
            }
        } catch (InterruptedException e) {
            // close(): stop working
        }
    }

    @Override
    protected void stopServing() {
        Listeners.closeQuietly(listener);
        open.closeAll();
        threads.stopAndJoin(JOIN_MILLIS);
        // sockets still queued were closed by closeAll(); count them closed
        Socket s;
        while ((s = handoff.poll()) != null) {
            OpenSockets.closeQuietly(s);
            counters.dequeued();
            counters.closed();
        }
    }
}
