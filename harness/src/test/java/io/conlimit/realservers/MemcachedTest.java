package io.conlimit.realservers;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** memcached -c proven with plain sockets: see {@link Memcached} for the numbers. */
@Tag("real-server")
class MemcachedTest extends PlainClientTest {
    static final int C = 20;

    private String version() throws IOException {
        Socket s = open(Duration.ofSeconds(5));
        ServerProcess.send(s, "version\r\n");
        return ServerProcess.readUntil(s, "\r\n");
    }

    @Test
    void cMinusTwelveClientsAreServedAndTheNextIsToldTooManyOpenConnections() throws IOException {
        server = Memcached.start(tmp, C);
        int served = C - Memcached.RESERVED; // 8
        for (int i = 0; i < served; i++) {
            String answer = version();
            assertTrue(answer.startsWith("VERSION "), "client " + (i + 1) + ": " + answer + "\n" + server.logText());
        }
        for (int i = 0; i < 3; i++) {
            String answer = version();
            assertTrue(answer.startsWith("ERROR Too many open connections\r\n"), "client " + (served + i + 1) + ": " + answer);
            Socket refused = clients.get(clients.size() - 1);
            String after = ServerProcess.readUntil(refused, "\n");
            assertTrue(after.equals("<EOF>") || after.equals("<RESET>"), "closed after the error: " + after);
        }
        // closing a served client makes room for exactly one more
        clients.get(0).close();
        server.awaitCondition("memcached sees the close", () -> SocketStates.serverSide("established", server.port) == served - 1);
        assertTrue(version().startsWith("VERSION "));
        assertTrue(version().startsWith("ERROR Too many open connections"));
        assertEquals(served, SocketStates.serverSide("established", server.port), SocketStates.dump(server.port));
    }
}
