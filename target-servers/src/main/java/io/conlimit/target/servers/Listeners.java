package io.conlimit.target.servers;

import io.conlimit.target.ServerConfig;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Binds the blocking kinds' listening socket with the backlog value the request passes. */
final class Listeners {
    private Listeners() {
    }

    /**
     * {@code ServerSocket.bind(address, backlog.value())}: Java itself replaces a value below 1 by 50,
     * exactly as an application calling it would see.
     *
     * @throws java.net.BindException naming the address and port when the bind fails
     */
    static ServerSocket bind(ServerConfig config) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(config.bind(), config.port()), config.backlog().value());
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            throw Binding.failure("port", config.bind(), config.port(), e);
        }
    }

    static void closeQuietly(ServerSocket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // stopping anyway
            }
        }
    }
}
