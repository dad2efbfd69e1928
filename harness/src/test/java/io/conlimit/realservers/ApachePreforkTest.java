package io.conlimit.realservers;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.conlimit.realservers.ServerProcess.HOST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Apache prefork's limits proven with plain sockets: see {@link ApachePrefork} for the numbers. */
@Tag("real-server")
class ApachePreforkTest extends PlainClientTest {
    static final int W = 2;
    static final int B = 3;
    static final String GET = "GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    private Socket open() throws IOException {
        return open(Duration.ofMillis(800));
    }

    @Test
    void wKeepAliveConnectionsAreServedTheNextBPlusOneWaitInTheAcceptQueueAndTheOneAfterIsDropped() throws IOException {
        server = ApachePrefork.start(tmp, W, B, false);
        for (int i = 0; i < W; i++) {
            Socket s = open();
            ServerProcess.send(s, GET);
            String answer = ServerProcess.readUntil(s, "\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200"), "connection " + (i + 1) + " of W: " + answer + "\n" + server.logText());
        }
        List<Socket> queued = new ArrayList<>();
        for (int i = 0; i < B + 1; i++) {
            Socket s = open();
            ServerProcess.send(s, GET);
            queued.add(s);
        }
        for (int i = 0; i < queued.size(); i++) {
            queued.get(i).setSoTimeout(i == 0 ? 800 : 100);
            String answer = ServerProcess.readUntil(queued.get(i), "\r\n\r\n");
            assertEquals("<TIMEOUT>", answer, "queued connection " + (i + 1) + " must wait unserved\n" + SocketStates.dump(server.port));
        }
        // the accept queue holds B + 1 (the kernel's check is "more than B"), the listener says so
        assertArrayEquals(new int[] {B + 1, B}, SocketStates.listenerQueue(server.port), SocketStates.dump(server.port));
        // the next SYN is dropped: the connect times out (the first SYN retransmit is at 1 s, past the 700 ms)
        Socket extra = new Socket();
        clients.add(extra);
        assertThrows(SocketTimeoutException.class, () -> extra.connect(new InetSocketAddress(HOST, server.port), 700),
                "the accept queue is full\n" + SocketStates.dump(server.port));
        // closing a served connection frees its child, which takes the oldest queued one and answers it
        clients.get(0).close();
        queued.get(0).setSoTimeout(10_000);
        String answer = ServerProcess.readUntil(queued.get(0), "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200"), "the first queued connection is served once a child is free: " + answer);
    }

    @Test
    void withTheDefaultAcceptFilterAConnectOnlyClientStaysInSynRecvAndIsNeverHandedToAWorker() throws IOException {
        server = ApachePrefork.start(tmp, W, B, true);
        int n = W + 1; // more than the workers: none of them costs a worker
        for (int i = 0; i < n; i++) {
            open();
        }
        server.awaitCondition(n + " server-side SYN-RECV entries",
                () -> SocketStates.serverSide("syn-recv", server.port) == n);
        assertEquals(n, SocketStates.clientSide("established", server.port), SocketStates.dump(server.port));
        assertEquals(0, SocketStates.serverSide("established", server.port), SocketStates.dump(server.port));
        assertEquals(0, SocketStates.listenerQueue(server.port)[0], "nothing in the accept queue\n" + SocketStates.dump(server.port));
        // all W workers are still free: a client that sends its request is answered at once
        Socket asking = open();
        asking.setSoTimeout(10_000);
        ServerProcess.send(asking, GET);
        String answer = ServerProcess.readUntil(asking, "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer + "\n" + SocketStates.dump(server.port));
        // and a connect-only client that finally sends is accepted then and answered
        Socket late = clients.get(0);
        late.setSoTimeout(10_000);
        ServerProcess.send(late, GET);
        String lateAnswer = ServerProcess.readUntil(late, "\r\n\r\n");
        assertTrue(lateAnswer.startsWith("HTTP/1.1 200"), lateAnswer + "\n" + SocketStates.dump(server.port));
    }
}
