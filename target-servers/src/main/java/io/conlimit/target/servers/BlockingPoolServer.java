package io.conlimit.target.servers;

import io.conlimit.target.ServerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Apache prefork style: W threads, each looping blocking {@code accept()} -> serve -> close on one
 * listening socket. While all W hold a connection, nobody calls accept(): the kernel queues B + 1 more
 * (the queue is full when its length exceeds B), so W + B + 1 connections complete the handshake and the
 * next SYN is dropped.
 */
public final class BlockingPoolServer extends BaseServer {
    private final ServerThreads threads;
    private final OpenSockets open = new OpenSockets();
    private ServerSocket listener;

    private BlockingPoolServer(ServerConfig config) {
        super(config);
        this.threads = new ServerThreads(config.kind().cliName());
    }

    public static BlockingPoolServer start(ServerConfig config) throws IOException {
        BlockingPoolServer s = new BlockingPoolServer(config);
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
            threads.start("worker", () -> acceptLoop(service));
        }
    }

    private void acceptLoop(ConnectionService service) {
        while (stopped.getCount() > 0) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (stopped.getCount() == 0 || listener.isClosed()) {
                    return;
                }
                Pause.afterAcceptError(stopped); // e.g. EMFILE: back off briefly, then try again
                continue;
            }
            counters.accepted();
            service.serve(socket);
        }
    }

    @Override
    protected void stopServing() {
        Listeners.closeQuietly(listener);
        open.closeAll();
        threads.stopAndJoin(JOIN_MILLIS);
    }
}
