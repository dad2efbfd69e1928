package io.conlimit.realservers;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** MariaDB max_connections proven with plain sockets: see {@link MariaDb} for the numbers. */
@Tag("real-server")
class MariaDbTest extends PlainClientTest {
    private String greet() throws IOException {
        Socket s = open(Duration.ofSeconds(5));
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
