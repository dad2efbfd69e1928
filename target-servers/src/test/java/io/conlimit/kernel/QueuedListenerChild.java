package io.conlimit.kernel;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Test child (run inside a namespace): {@code HOST B K} listens on HOST (IPv4) with backlog B, never accepts,
 * completes K connections to itself (K &lt;= B: all fit in the accept queue), prints {@code PORT p} then
 * {@code READY}, and holds everything until EOF on stdin.
 */
public final class QueuedListenerChild {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int backlog = Integer.parseInt(args[1]);
        int k = Integer.parseInt(args[2]);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            server.bind(new InetSocketAddress(host, 0), backlog);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            System.out.println("PORT " + port);
            List<SocketChannel> held = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                held.add(SocketChannel.open(new InetSocketAddress(host, port)));
            }
            System.out.println("READY");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until EOF
            }
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }
}
