package io.conlimit.fleet;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.Probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

/** Small loopback helpers for the fleet tests. */
final class TestServers {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private TestServers() {
    }

    static ServerSocket listener(int backlog) throws IOException {
        return new ServerSocket(0, backlog, LOOPBACK);
    }

    static InetSocketAddress address(ServerSocket s) {
        return new InetSocketAddress(LOOPBACK, s.getLocalPort());
    }

    /** A port nothing listens on: bound then closed. */
    static int closedPort() throws IOException {
        try (ServerSocket s = listener(1)) {
            return s.getLocalPort();
        }
    }

    /** A plain blocking connect, used to fill an accept queue. */
    static Socket plainConnect(ServerSocket s) throws IOException {
        Socket c = new Socket();
        c.connect(address(s), 2000);
        return c;
    }

    static ClientOptions options(Probe probe, Duration connectTimeout, Duration responseTimeout, Duration hold) {
        return new ClientOptions(probe, connectTimeout, responseTimeout, hold, ClientOptions.CloseMode.FIN, List.of());
    }

    static ClientOptions connectOnly(Duration connectTimeout) {
        return options(new Probe.Connect(), connectTimeout, Duration.ofSeconds(2), Duration.ZERO);
    }
}
