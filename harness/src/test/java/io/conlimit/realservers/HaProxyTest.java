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

/** HAProxy's frontend maxconn and backlog proven with plain sockets: see {@link HaProxy} for the numbers. */
@Tag("real-server")
class HaProxyTest extends PlainClientTest {
    static final int MAXCONN = 6;
    static final int B = 4;
    static final String LINE = "PING\r\n";

    @Test
    void maxconnConnectionsAreServedTheNextBPlusOneWaitInTheAcceptQueueAndTheOneAfterIsDropped() throws IOException {
        server = HaProxy.start(tmp, MAXCONN, B);
        for (int i = 0; i < MAXCONN; i++) {
            Socket s = open(Duration.ofSeconds(5));
            ServerProcess.send(s, LINE);
            assertEquals(LINE, ServerProcess.readUntil(s, "\n"), "connection " + (i + 1) + " of maxconn\n" + server.logText());
        }
        List<Socket> queued = new ArrayList<>();
        for (int i = 0; i < B + 1; i++) {
            Socket s = open(Duration.ofMillis(100));
            ServerProcess.send(s, LINE);
            queued.add(s);
        }
        for (int i = 0; i < queued.size(); i++) {
            queued.get(i).setSoTimeout(i == 0 ? 800 : 100);
            assertEquals("<TIMEOUT>", ServerProcess.readUntil(queued.get(i), "\n"),
                    "queued connection " + (i + 1) + " must wait unserved\n" + SocketStates.dump(server.port));
        }
        // HAProxy passed backlog 4 to listen(); the kernel admits B + 1
        assertArrayEquals(new int[] {B + 1, B}, SocketStates.listenerQueue(server.port), SocketStates.dump(server.port));
        assertEquals(MAXCONN + B + 1, SocketStates.serverSide("established", server.port), SocketStates.dump(server.port));
        // the next SYN is dropped: the connect times out (the first SYN retransmit is at 1 s, past the 700 ms)
        Socket extra = new Socket();
        clients.add(extra);
        assertThrows(SocketTimeoutException.class, () -> extra.connect(new InetSocketAddress(HOST, server.port), 700),
                "the accept queue is full\n" + SocketStates.dump(server.port));
        // closing a served connection lets HAProxy accept the oldest queued one and forward its line
        clients.get(0).close();
        queued.get(0).setSoTimeout(10_000);
        assertEquals(LINE, ServerProcess.readUntil(queued.get(0), "\n"), "the first queued connection is served once a slot is free");
    }
}
