package io.conlimit.realservers;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Redis maxclients proven with plain sockets: see {@link Redis} for the numbers. */
@Tag("real-server")
class RedisTest extends PlainClientTest {
    static final int M = 10;

    private String ping() throws IOException {
        Socket s = open(Duration.ofSeconds(5));
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
