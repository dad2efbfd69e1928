package io.conlimit.realservers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the plain-socket tests of a real server share: the server's temp dir, the server (stopped after each
 * test) and the clients it opened (closed first).
 */
abstract class PlainClientTest {
    @TempDir
    Path tmp;
    ServerProcess server;
    final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        ServerProcess.closeAll(clients);
        if (server != null) {
            server.close();
        }
    }

    /** A client connected to the server, reads bounded by {@code readTimeout}, closed after the test. */
    Socket open(Duration readTimeout) throws IOException {
        Socket s = ServerProcess.connect(server.port, readTimeout);
        clients.add(s);
        return s;
    }
}
