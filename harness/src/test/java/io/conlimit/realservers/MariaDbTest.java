package io.conlimit.realservers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** MariaDB max_connections proven with plain sockets: see {@link MariaDb} for the numbers. */
@Tag("real-server")
class MariaDbTest {
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

    private String greet() throws IOException {
        Socket s = ServerProcess.connect(server.port, Duration.ofSeconds(5));
        clients.add(s);
        return MariaDb.firstPacket(s);
    }

    @ParameterizedTest(name = "max_connections={0} serves {1}")
    @CsvSource({"10, 11", "3, 11"})
    void maxConnectionsPlusOneGetTheGreetingAndTheNextGetsError1040(int maxConnections, int served) throws IOException {
        server = MariaDb.start(tmp, maxConnections);
        for (int i = 0; i < served; i++) {
            assertEquals("greeting", greet(), "client " + (i + 1) + "\n" + server.logText());
        }
        for (int i = 0; i < 2; i++) {
            assertEquals("error 1040 Too many connections", greet(), "client " + (served + i + 1));
        }
    }
}
