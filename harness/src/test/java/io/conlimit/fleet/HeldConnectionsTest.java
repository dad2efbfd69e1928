package io.conlimit.fleet;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Held connections on both connect paths (bare sockets and Netty channels): counted, kept open while held (the
 * server reads no EOF from them), closed at the end in the close mode, and a close or reset by the server during
 * the hold recorded as such at that moment.
 */
@Timeout(60)
class HeldConnectionsTest {
    private static Fleet direct;
    private static Fleet channels;

    @BeforeAll
    static void start() {
        direct = new Fleet(2, true);
        channels = new Fleet(2, false);
        assertEquals("epoll", direct.transportName(), "the direct path needs the epoll transport here");
    }

    @AfterAll
    static void stop() {
        direct.close();
        channels.close();
    }

    private static Fleet on(String path, ClientOptions options) {
        Fleet f = path.equals("direct") ? direct : channels;
        assertEquals(path, f.connectPath(options, List.of(new LoadPhase.Burst(1))));
        return f;
    }

    private static Probe probe(String name) {
        return name.equals("banner") ? new Probe.Banner() : new Probe.Connect();
    }

    /** Reads one byte with a short deadline: true when the socket is still open with nothing to read. */
    private static boolean openAndQuiet(Socket s) throws IOException {
        s.setSoTimeout(30);
        try {
            int b = s.getInputStream().read();
            throw new AssertionError("the client was to hold this connection, but the server read " + b);
        } catch (SocketTimeoutException expected) {
            return true;
        }
    }

    /** How the client closed it, as the server sees it: "fin" (EOF) or "rst" (reset). */
    private static String closedBy(Socket s) throws IOException {
        s.setSoTimeout(5000);
        try {
            int b = s.getInputStream().read();
            return b == -1 ? "fin" : "data " + b;
        } catch (SocketException e) {
            return e.getMessage() != null && e.getMessage().toLowerCase().contains("reset") ? "rst" : e.toString();
        }
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"direct,connect,FIN", "direct,connect,RST", "direct,banner,FIN", "direct,banner,RST",
            "channel,connect,FIN", "channel,banner,RST"})
    void heldUntilTheEndAreCountedKeptOpenAndClosedAtTheEnd(String path, String probeName, ClientOptions.CloseMode close)
            throws Exception {
        int n = 20;
        boolean banner = probeName.equals("banner");
        ClientOptions options = new ClientOptions(probe(probeName), Duration.ofSeconds(2), Duration.ofSeconds(2), null,
                close, List.of());
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket server = TestServers.listener(64)) {
            Thread acceptor = new Thread(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        Socket s = server.accept();
                        synchronized (accepted) {
                            accepted.add(s);
                        }
                        if (banner) {
                            s.getOutputStream().write("220 hello\r\n".getBytes());
                        }
                    }
                } catch (IOException ignored) {
                    // the assertions below count what was accepted
                }
            });
            acceptor.start();
            CollectingListener l = new CollectingListener();
            long epoch = System.nanoTime();
            AtomicLong endOfLoad = new AtomicLong(-1);
            AtomicReference<String> whileHeld = new AtomicReference<>("endOfLoad did not run");
            on(path, options).run(TestServers.address(server), options, List.of(new LoadPhase.Burst(n)), l, epoch,
                    Fleet.PhaseObserver.NONE, () -> {
                        endOfLoad.set(System.nanoTime() - epoch);
                        try {
                            acceptor.join(5000);
                            synchronized (accepted) {
                                int open = 0;
                                for (Socket s : accepted) {
                                    open += openAndQuiet(s) ? 1 : 0;
                                }
                                whileHeld.set("decided " + l.decided().size() + ", closed " + l.closed().size()
                                        + ", open on the server " + open);
                            }
                        } catch (Exception e) {
                            whileHeld.set(e.toString());
                        }
                    });
            assertEquals("decided " + n + ", closed 0, open on the server " + n, whileHeld.get(),
                    "every connection held until the end, none closed before it");
            Outcome expected = banner ? Outcome.OK : Outcome.CONNECTED;
            assertEquals(n, l.closed().size(), "every held connection closed at the end");
            String how = close == ClientOptions.CloseMode.RST ? "rst" : "fin";
            for (ConnectionRecord r : l.decided()) {
                assertEquals(expected, r.outcome(), r.toString());
                assertEquals("open", r.close(), "decided while open: " + r);
            }
            for (ConnectionRecord r : l.closed()) {
                assertEquals(expected, r.outcome(), r.toString());
                assertEquals(how, r.close(), r.toString());
                assertTrue(r.closedNanos() >= endOfLoad.get(), "closed after the end of the load: " + r);
                assertTrue(!banner || r.firstByteNanos() >= r.connectedNanos(), "the banner's first byte: " + r);
            }
            synchronized (accepted) {
                assertEquals(n, accepted.size());
                for (Socket s : accepted) {
                    assertEquals(how, closedBy(s), "what the server saw of the client's close");
                    s.close();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} server {2}, hold {3}")
    @CsvSource({"direct,connect,FIN,3s", "direct,connect,RST,3s", "direct,banner,FIN,3s", "direct,banner,RST,end",
            "direct,connect,RST,end", "channel,connect,FIN,3s", "channel,banner,RST,end"})
    void aCloseOrResetByTheServerDuringTheHoldIsRecordedThen(String path, String probeName, String serverClose, String hold)
            throws Exception {
        boolean banner = probeName.equals("banner");
        boolean untilEnd = hold.equals("end");
        ClientOptions options = new ClientOptions(probe(probeName), Duration.ofSeconds(2), Duration.ofSeconds(2),
                untilEnd ? null : Duration.ofSeconds(3), ClientOptions.CloseMode.FIN, List.of());
        CountDownLatch decided = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        CollectingListener l = new CollectingListener() {
            @Override
            public synchronized void decided(ConnectionRecord record) {
                super.decided(record);
                decided.countDown();
            }

            @Override
            public synchronized void closed(ConnectionRecord record) {
                super.closed(record);
                closed.countDown();
            }
        };
        try (ServerSocket server = TestServers.listener(8)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    if (banner) {
                        s.getOutputStream().write("220 hello\r\n".getBytes());
                    }
                    if (decided.await(5, TimeUnit.SECONDS) && serverClose.equals("RST")) {
                        s.setSoLinger(true, 0);
                    }
                } catch (Exception ignored) {
                    // the client side asserts
                }
            });
            t.start();
            on(path, options).run(TestServers.address(server), options, List.of(new LoadPhase.Burst(1)), l, System.nanoTime(),
                    Fleet.PhaseObserver.NONE, () -> {
                        try {
                            closed.await(5, TimeUnit.SECONDS); // held until the end: the server's close comes first
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
            t.join(5000);
        }
        ConnectionRecord r = l.only();
        assertEquals(banner ? Outcome.OK : Outcome.CONNECTED, r.outcome(), "decided before the server closed: " + r);
        assertEquals(serverClose.equals("RST") ? "peer-rst" : "peer-fin", r.close(), r.toString());
        assertTrue(r.closedNanos() - r.decidedNanos() < 2_500_000_000L, "closed when the server closed, not at the hold's end: " + r);
    }
}
