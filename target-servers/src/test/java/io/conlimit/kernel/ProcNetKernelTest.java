package io.conlimit.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The head of this namespace's /proc/net/tcp{,6} against the kernel's other interface, inet_diag (ss): a listener
 * with backlog B holding K connections it never accepts (K &lt;= B) shows rx_queue == K == ss Recv-Q, with the same
 * socket inode, and ss gives Send-Q == B.
 */
class ProcNetKernelTest {
    private static final int B = 9;
    private static final int K = 6;
    private static final long DEADLINE_NANOS = 10_000_000_000L;

    private static ListenQueues ss() {
        Optional<ListenQueues> q = ListenQueues.find();
        assumeTrue(q.isPresent(), "skipped: iproute2's ss is not installed");
        return q.get();
    }

    @Test
    void ipv4Listener() throws Exception {
        check(StandardProtocolFamily.INET, "127.0.0.1", "127.0.0.1");
    }

    @Test
    void ipv6Listener() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/net/tcp6")), "skipped: IPv6 is disabled (no /proc/net/tcp6)");
        check(StandardProtocolFamily.INET6, "::1", "[::1]");
    }

    @Test
    void dualStackListenerBoundToAnIpv4Address() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/net/tcp6")), "skipped: IPv6 is disabled (no /proc/net/tcp6)");
        // a Java socket opened without a family is dual-stack: the kernel shows it in tcp6 as ::ffff:127.0.0.1
        check(null, "127.0.0.1", "[::ffff:127.0.0.1]");
    }

    private static void check(ProtocolFamily family, String host, String shownHost) throws Exception {
        ListenQueues ss = ss();
        try (ServerSocketChannel server = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
             ProcNet proc = ProcNet.own()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), B);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < K; i++) {
                    clients.add(SocketChannel.open(new InetSocketAddress(InetAddress.getByName(host), port)));
                }
                // the server side completes each handshake when it processes the client's ACK: wait for all K
                ProcNetTcp.Listener seen = awaitQueued(proc, port, K);
                assertEquals(shownHost + ":" + port, seen.local());
                Map<Long, ListenSocket> viaSs = ss.byInode(port);
                ListenSocket s = viaSs.get(seen.inode());
                assertTrue(s != null, "ss -e has no listener with inode " + seen.inode() + ": " + viaSs);
                assertEquals(K, s.queued(), "ss Recv-Q");
                assertEquals(B, s.max(), "ss Send-Q");
                assertEquals(shownHost + ":" + port, s.local(), "the /proc address is written as ss writes it");
                assertEquals(K, proc.listeners(port).get(0).queued(), "/proc rx_queue after ss");

                // the sampler: /proc for the length, ss -e once for the maximum; the ss-only sampler agrees
                ListenQueueSampler viaProc = ListenQueueSampler.builder(ss, port).host(host).counters(null).build();
                ListenQueueSampler viaSsOnly = ListenQueueSampler.builder(ss, port).host(host).counters(null).ssOnly().build();
                try (viaProc; viaSsOnly) {
                    for (int i = 0; i < 3; i++) {
                        ListenQueueSampler.Sample a = viaProc.sampleNow();
                        ListenQueueSampler.Sample b = viaSsOnly.sampleNow();
                        assertEquals(List.of(K, B), List.of(a.queued(), a.max()), "sampler via /proc");
                        assertEquals(List.of(K, B), List.of(b.queued(), b.max()), "sampler via ss");
                    }
                    assertEquals(3, viaProc.samplesFromProc());
                    assertEquals(0, viaProc.samplesFromSs());
                    assertEquals("/proc/net (Send-Q from ss -e)", viaProc.queueSource());
                    assertEquals(3, viaSsOnly.samplesFromSs());
                    assertEquals("ss", viaSsOnly.queueSource());
                }
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
        }
    }

    static ProcNetTcp.Listener awaitQueued(ProcNet proc, int port, int k) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        List<ProcNetTcp.Listener> l = proc.listeners(port);
        while ((l.size() != 1 || l.get(0).queued() != k) && System.nanoTime() < deadline) {
            Thread.sleep(5); // poll interval, bounded by the deadline
            l = proc.listeners(port);
        }
        assertEquals(1, l.size(), "listeners on port " + port + ": " + l);
        assertEquals(k, l.get(0).queued(), "/proc rx_queue");
        return l.get(0);
    }

    /** The claim the head-only reading rests on: every LISTEN row comes before the first row of another state. */
    @Test
    void listenRowsComeFirstWhileOtherSocketsExist() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
             ProcNet proc = ProcNet.own()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), B);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            List<SocketChannel> clients = new ArrayList<>();
            try {
                for (int i = 0; i < K; i++) {
                    clients.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
                }
                awaitQueued(proc, port, K);
                int established = 0;
                for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                    if (!Files.exists(Path.of(file))) {
                        continue;
                    }
                    List<String> rows = Files.readAllLines(Path.of(file));
                    boolean other = false;
                    for (String row : rows.subList(1, rows.size())) {
                        String state = row.trim().split("\\s+")[3];
                        if (state.equals(ProcNetTcp.LISTEN)) {
                            assertFalse(other, file + ": a LISTEN row after another state: " + row);
                        } else {
                            other = true;
                            established += state.equals("01") ? 1 : 0;
                        }
                    }
                }
                // the K server-side sockets (AF_INET, in tcp) and the K clients (dual-stack Java sockets, in tcp6)
                assertTrue(established >= 2 * K, established + " ESTABLISHED rows, expected >= " + 2 * K);
                // and the head reader returns LISTEN sockets only, ours among them
                assertTrue(proc.listeners().stream().anyMatch(l -> l.port() == port));
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
        }
    }

    /**
     * The sampler's executor is stopped with an interrupt; an interrupted read of a FileChannel would close it for
     * every user (the counters share the files). The files must survive it.
     */
    @Test
    void anInterruptDoesNotCloseTheFiles() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
             ProcNet proc = ProcNet.own()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), B);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            Thread.currentThread().interrupt();
            try {
                assertEquals(1, proc.listeners(port).size());
                assertTrue(proc.netstat().contains("TcpExt:"));
            } finally {
                assertTrue(Thread.interrupted(), "the interrupt status is left alone");
            }
            assertEquals(1, proc.listeners(port).size());
            ListenQueueSampler sampler = ListenQueueSampler.builder(ss(), port).host("127.0.0.1")
                    .counters(TcpExtCounters.from(proc)).procNet(proc).rateHz(50).build().start();
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (sampler.samplesTaken() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10); // poll interval, bounded by the deadline
            }
            sampler.stop();
            sampler.start();
            long taken = sampler.samplesTaken();
            while (sampler.samplesTaken() < taken + 3 && System.nanoTime() < deadline) {
                Thread.sleep(10); // poll interval, bounded by the deadline
            }
            sampler.close();
            assertEquals(0, sampler.errors(), sampler.lastError().orElse(""));
            assertTrue(sampler.samplesTaken() >= taken + 3, "samples after a stop and a start: " + sampler.samplesTaken());
            assertEquals(0, sampler.samplesFromSs(), sampler.queueSource());
            assertEquals(1, proc.listeners(port).size(), "the files are still open");
        }
    }

    /** The socket followed closes and a new one listens on the port: the sampler chooses it and asks ss for its maximum. */
    @Test
    void aNewListenerOnThePortIsChosenWithItsOwnMaximum() throws Exception {
        ListenQueues ss = ss();
        try (ProcNet proc = ProcNet.own()) {
            ServerSocketChannel first = ServerSocketChannel.open(StandardProtocolFamily.INET);
            first.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            first.bind(new InetSocketAddress("127.0.0.1", 0), 3);
            int port = ((InetSocketAddress) first.getLocalAddress()).getPort();
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", port);
            try (ListenQueueSampler sampler = ListenQueueSampler.builder(ss, port).host("127.0.0.1").counters(null).procNet(proc).build();
                 SocketChannel a = SocketChannel.open(addr)) {
                awaitQueued(proc, port, 1);
                ListenQueueSampler.Sample s1 = sampler.sampleNow();
                ListenQueueSampler.Sample s2 = sampler.sampleNow(); // followed by inode, max remembered
                assertEquals(List.of(1, 3, 1, 3), List.of(s1.queued(), s1.max(), s2.queued(), s2.max()));
                first.close();
                ListenQueueSampler.Sample none = sampler.sampleNow();
                assertEquals(List.of(-1, -1), List.of(none.queued(), none.max()));
                try (ServerSocketChannel second = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
                    second.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
                    second.bind(addr, 5);
                    try (SocketChannel b = SocketChannel.open(addr); SocketChannel c = SocketChannel.open(addr)) {
                        awaitQueued(proc, port, 2);
                        ListenQueueSampler.Sample s3 = sampler.sampleNow();
                        assertEquals(List.of(2, 5), List.of(s3.queued(), s3.max()));
                        assertEquals(5, ss.find("127.0.0.1", port).orElseThrow().max());
                    }
                }
                assertEquals(4, sampler.samplesFromProc());
                assertEquals(0, sampler.samplesFromSs());
            }
        }
    }

    @Test
    void noListenerIsMinusOneWithoutAskingSs() throws Exception {
        int port;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        try (ListenQueueSampler sampler = ListenQueueSampler.builder(ss(), port).host("127.0.0.1").counters(null).build()) {
            ListenQueueSampler.Sample s = sampler.sampleNow();
            assertEquals(List.of(-1, -1), List.of(s.queued(), s.max()));
            assertFalse(s.listenerFound());
            assertEquals(1, sampler.samplesFromProc());
            assertEquals(0, sampler.samplesFromSs());
        }
    }

    /**
     * A prefix that runs its command in a child process hides the helper's pid: the sampler says so and falls back to
     * ss (run behind the same prefix), whose numbers are still exact.
     */
    @Test
    void prefixThatForksFallsBackToSs() throws Exception {
        ListenQueues forking = ss().withPrefix(List.of("sh", "-c", "\"$@\"; exit $?", "sh"));
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
             ProcNet proc = ProcNet.own()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), B);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                 ListenQueueSampler sampler = ListenQueueSampler.builder(forking, port).host("127.0.0.1").counters(null).build()) {
                awaitQueued(proc, port, 1);
                ListenQueueSampler.Sample s = sampler.sampleNow();
                assertEquals(List.of(1, B), List.of(s.queued(), s.max()));
                assertEquals(1, sampler.samplesFromSs());
                assertEquals(0, sampler.samplesFromProc());
                assertTrue(sampler.queueSource().startsWith("ss (/proc not used: ")
                        && sampler.queueSource().contains("runs its command in another process"), sampler.queueSource());
            }
        }
    }
}
