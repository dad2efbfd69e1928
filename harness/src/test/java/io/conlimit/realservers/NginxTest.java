package io.conlimit.realservers;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nginx's worker_connections proven with plain sockets: see {@link Nginx} for the numbers. */
@Tag("real-server")
class NginxTest extends PlainClientTest {
    static final int N = 16;
    static final String HEAD = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n";

    private Socket open(int readTimeoutMs) throws IOException {
        return open(Duration.ofMillis(readTimeoutMs));
    }

    private String errorLog() throws IOException {
        return Files.readString(tmp.resolve("logs/error.log"));
    }

    @Test
    void busyConnectionsHoldNMinusTwoSlotsAndTheNextIsAcceptedAndClosed() throws IOException {
        server = Nginx.start(tmp, N);
        for (int i = 0; i < N - 2; i++) {
            Socket s = open(i == 0 ? 300 : 30);
            ServerProcess.send(s, HEAD); // the header never ends: the connection is busy, not reusable
            assertEquals("<TIMEOUT>", ServerProcess.readUntil(s, "\r\n"), "busy connection " + (i + 1) + " is held");
        }
        Socket next = open(5000);
        ServerProcess.send(next, HEAD);
        String answer = ServerProcess.readUntil(next, "\r\n");
        assertTrue(answer.equals("<EOF>") || answer.equals("<RESET>"),
                "connection N - 1 is closed at once: " + answer + "\n" + SocketStates.dump(server.port));
        assertTrue(errorLog().contains(N + " worker_connections are not enough"), errorLog());
        // the held ones are intact: ending a header gets the answer
        Socket first = clients.get(0);
        first.setSoTimeout(5000);
        ServerProcess.send(first, "\r\n");
        String ok = ServerProcess.readUntil(first, "\r\n\r\n");
        assertTrue(ok.startsWith("HTTP/1.1 200"), ok);
    }

    @Test
    void idleKeepAliveConnectionsAreReusedEveryRequestIsAnsweredAndTheOldestAreClosed() throws IOException {
        server = Nginx.start(tmp, N);
        int total = N + 4;
        for (int i = 0; i < total; i++) {
            Socket s = open(5000);
            ServerProcess.send(s, HEAD + "\r\n");
            String answer = ServerProcess.readUntil(s, "\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200"), "request " + (i + 1) + ": " + answer + "\n" + server.logText());
        }
        int expectedOpen = N - 2 - N / 16; // 13
        server.awaitCondition(expectedOpen + " server-side established connections",
                () -> SocketStates.serverSide("established", server.port) == expectedOpen);
        // the closed ones are the oldest: the first total - expectedOpen clients read EOF, the rest nothing
        for (int i = 0; i < total; i++) {
            Socket s = clients.get(i);
            s.setSoTimeout(i < total - expectedOpen ? 2000 : 20);
            String after = ServerProcess.readUntil(s, "\n");
            String want = i < total - expectedOpen ? "<EOF>" : "<TIMEOUT>";
            assertEquals(want, after, "client " + (i + 1) + " of " + total + "\n" + SocketStates.dump(server.port));
        }
        assertTrue(errorLog().contains(N + " worker_connections are not enough, reusing connections"), errorLog());
    }
}
