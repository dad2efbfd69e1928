package io.conlimit.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcNetTcpSocketsTest {

    @Test
    void parsesRowsOfEveryStateWithThePortAtEitherEnd() {
        String text = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
                + "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000011 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0\n"
                + "   1: 0100007F:1F90 0100007F:9C41 01 00000000:00000000 00:00000000 00000000     0        0 112 1 0 20 4 30 10 -1\n"
                + "   2: 0100007F:9C41 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 113 1 0 20 4 30 10 -1\n"
                + "   3: 0100007F:1F90 0100007F:9C42 03 00000000:00000000 02:00000064 00000000     0        0 0 1 0\n"
                + "   4: 0100007F:0050 0100007F:9C43 01 00000000:00000000 00:00000000 00000000     0        0 114 1 0 20 4 30 10 -1\n";
        List<ProcNetTcp.Socket> out = new ArrayList<>();
        ProcNetTcp.parseSockets(text, 8080, out);
        assertEquals(4, out.size());
        assertEquals(new ProcNetTcp.Socket("LISTEN", "127.0.0.1", 8080, "0.0.0.0", 0, 17), out.get(0));
        assertEquals(new ProcNetTcp.Socket("ESTAB", "127.0.0.1", 8080, "127.0.0.1", 40001, 0), out.get(1));
        assertEquals("ESTAB", out.get(2).state());
        assertEquals(40001, out.get(2).localPort());
        assertEquals("SYN-RECV", out.get(3).state());
    }

    /** Against the kernel: a listener with one accepted and one queued connection, as ss would list them. */
    @Test
    void readsThisNamespacesTableLikeSs() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
             Socket a = new Socket();
             Socket b = new Socket();
             ProcNet own = ProcNet.own()) {
            InetSocketAddress addr = (InetSocketAddress) server.getLocalSocketAddress();
            a.connect(addr);
            try (Socket accepted = server.accept()) {
                b.connect(addr); // stays in the accept queue
                List<ProcNetTcp.Socket> rows = own.sockets(addr.getPort());
                ProcNetTcp.Socket listen = rows.stream().filter(r -> r.state().equals("LISTEN")).findFirst().orElseThrow();
                assertEquals(1, listen.rxQueue(), "one connection waits in the accept queue: " + rows);
                long serverSide = rows.stream().filter(r -> r.state().equals("ESTAB") && r.localPort() == addr.getPort()).count();
                long clientSide = rows.stream().filter(r -> r.state().equals("ESTAB") && r.remotePort() == addr.getPort()).count();
                assertEquals(2, serverSide, rows.toString());
                assertEquals(2, clientSide, rows.toString());
                assertTrue(rows.stream().anyMatch(r -> r.remotePort() == b.getLocalPort() && r.localPort() == addr.getPort()));
            }
        }
    }
}
