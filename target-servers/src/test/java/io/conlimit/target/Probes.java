package io.conlimit.target;

import io.conlimit.kernel.ListenQueues;
import io.conlimit.kernel.ListenSocket;
import io.conlimit.target.servers.Addresses;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.fail;

/** Test helpers: deadline polls (never a bare sleep), connects, the kernel's view, thread leaks. */
public final class Probes {
    private Probes() {
    }

    /** Polls {@code condition} every 2 ms until it holds or {@code timeout} passes, then fails with {@code what}. */
    public static void waitUntil(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for " + what.get());
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what.get());
            }
        }
    }

    public static Socket connect(InetSocketAddress to, int timeoutMillis) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(to, timeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    public static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // test cleanup
            }
        }
    }

    public static ListenQueues ss() {
        return ListenQueues.find().orElseThrow(() -> new AssertionError("iproute2's ss is needed by this test"));
    }

    /** The server's listener as the kernel reports it now. */
    public static ListenSocket listener(TargetServer server) throws IOException {
        return ss().find(Addresses.literal(server.address()), server.address().getPort())
                .orElseThrow(() -> new AssertionError("ss shows no listener for " + server.address()));
    }

    /** Live threads named like a target server's ({@code conlimit-...}). */
    public static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("conlimit-"))
                .sorted()
                .collect(Collectors.toList());
    }

    /** Waits (5 s at most) until no conlimit-* thread is alive. */
    public static void assertNoServerThreads() {
        waitUntil(() -> serverThreads().isEmpty(), Duration.ofSeconds(5), () -> "server threads to end: " + serverThreads());
    }
}
