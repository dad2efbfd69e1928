package io.conlimit.realservers;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PostgreSQL max_connections proven with plain sockets: see {@link PostgreSql} for the numbers. */
@Tag("real-server")
class PostgreSqlTest extends PlainClientTest {
    static final int M = 5;
    static final String TOO_MANY = "error 53300 sorry, too many clients already";

    private Socket session() throws IOException {
        Socket s = open(Duration.ofSeconds(5));
        ServerProcess.send(s, PostgreSql.startup(PostgreSql.USER, PostgreSql.DATABASE));
        return s;
    }

    @Test
    void maxConnectionsSessionsAreServedTheNextIsToldTooManyClientsAndBareConnectsAreHeldPastTheLimit() throws IOException {
        server = PostgreSql.start(tmp, M);
        for (int i = 0; i < M; i++) {
            assertEquals("authentication ok", PostgreSql.firstMessage(session()), "client " + (i + 1) + "\n" + server.logText());
        }
        for (int i = 0; i < 2; i++) {
            Socket s = session();
            assertEquals(TOO_MANY, PostgreSql.firstMessage(s), "client " + (M + i + 1) + "\n" + server.logText());
            assertTrue(PostgreSql.closedByServer(s), "closed after the refusal");
        }
        // a client that only connects is accepted and waits for its startup packet: held, past max_connections
        List<Socket> bare = new ArrayList<>();
        for (int i = 0; i < M; i++) {
            Socket s = open(Duration.ofMillis(300));
            bare.add(s);
        }
        server.awaitCondition(2 * M + " server-side ESTABLISHED (M sessions, M bare connects)",
                () -> SocketStates.serverSide("established", server.port) == 2 * M);
        for (Socket s : bare) {
            assertFalse(PostgreSql.closedByServer(s), "a bare connect is held\n" + SocketStates.dump(server.port));
        }
        // ...and refused only once it says who it is
        Socket late = bare.get(0);
        late.setSoTimeout(5000);
        ServerProcess.send(late, PostgreSql.startup(PostgreSql.USER, PostgreSql.DATABASE));
        assertEquals(TOO_MANY, PostgreSql.firstMessage(late));
        // closing a session frees its slot for the next startup (its backend exits first: wait for that)
        clients.get(0).close();
        server.awaitCondition("the closed session's backend gone (its socket neither ESTABLISHED nor CLOSE-WAIT)",
                () -> SocketStates.serverSide("established", server.port) == 2 * M - 2 && SocketStates.serverSide("close-wait", server.port) == 0);
        assertEquals("authentication ok", PostgreSql.firstMessage(session()), server.logText());
    }
}
