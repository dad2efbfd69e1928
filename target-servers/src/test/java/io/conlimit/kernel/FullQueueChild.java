package io.conlimit.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Test child (run inside a namespace): listens on 127.0.0.1 with backlog B and never accepts, fills the
 * accept queue with B + 1 connections (what fits: the queue is full when queued &gt; max), then:
 * <ul>
 *   <li>{@code hold B E}: starts E non-blocking connects that the full queue drops (their SYNs are
 *       retransmitted by the kernel), prints READY, waits for EOF on stdin, then prints how many are still
 *       unconnected ({@code PENDING n}).</li>
 *   <li>{@code timeout B}: one blocking connect, printing {@code FAILED_MS t message} when the kernel gives up.</li>
 * </ul>
 * With a last argument {@code wait}, it waits for a line on stdin after printing its port, before any connection.
 */
public final class FullQueueChild {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int backlog = Integer.parseInt(args[1]);
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), backlog);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            InetSocketAddress addr = new InetSocketAddress("127.0.0.1", port);
            System.out.println("PORT " + port);
            System.out.flush();
            BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (args[args.length - 1].equals("wait")) {
                stdin.readLine();
            }
            List<SocketChannel> held = new ArrayList<>();
            for (int i = 0; i < backlog + 1; i++) {
                held.add(SocketChannel.open(addr)); // completes: the kernel queues it for accept()
            }
            System.out.println("FILLED " + held.size());
            if (mode.equals("hold")) {
                int extra = Integer.parseInt(args[2]);
                List<SocketChannel> pending = new ArrayList<>();
                for (int i = 0; i < extra; i++) {
                    SocketChannel c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(addr);
                    pending.add(c);
                }
                System.out.println("READY");
                while (stdin.read() >= 0) {
                    // wait for EOF
                }
                int stillPending = 0;
                for (SocketChannel c : pending) {
                    try {
                        if (!c.finishConnect()) {
                            stillPending++;
                        }
                    } catch (IOException e) {
                        System.out.println("EXTRA-FAILED " + e.getMessage());
                    }
                }
                System.out.println("PENDING " + stillPending);
            } else if (mode.equals("timeout")) {
                System.out.println("READY");
                long t0 = System.nanoTime();
                try (SocketChannel c = SocketChannel.open(addr)) {
                    System.out.println("CONNECTED_MS " + (System.nanoTime() - t0) / 1_000_000);
                } catch (IOException e) {
                    System.out.println("FAILED_MS " + (System.nanoTime() - t0) / 1_000_000 + " " + e.getMessage());
                }
            } else {
                throw new IllegalArgumentException("mode must be hold or timeout: " + mode);
            }
            for (SocketChannel c : held) {
                c.close();
            }
        }
        System.out.flush();
    }
}
