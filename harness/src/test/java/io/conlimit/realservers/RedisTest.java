package io.conlimit.realservers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis maxclients proven with plain sockets: see {@link Redis} for the numbers. */
@Tag("real-server")
class RedisTest {
    static final int M = 10;

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

    private String ping() throws IOException {
        Socket s = ServerProcess.connect(server.port, Duration.ofSeconds(5));
        clients.add(s);
        ServerProcess.send(s, "PING\r\n");
        return ServerProcess.readUntil(s, "\r\n");
    }

    @Test
    void maxClientsAreServedAndTheNextIsToldMaxNumberOfClientsReached() throws IOException {
        server = Redis.start(tmp, M);
        for (int i = 0; i < M; i++) {
            assertEquals("+PONG\r\n", ping(), "client " + (i + 1) + "\n" + server.logText());
        }
        for (int i = 0; i < 2; i++) {
            assertEquals("-ERR max number of clients reached\r\n", ping(), "client " + (M + i + 1));
            String after = ServerProcess.readUntil(clients.get(clients.size() - 1), "\n");
            assertTrue(after.equals("<EOF>") || after.equals("<RESET>"), "closed after the error: " + after);
        }
    }
}
