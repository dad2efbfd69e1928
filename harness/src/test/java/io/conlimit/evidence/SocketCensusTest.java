package io.conlimit.evidence;

import io.conlimit.kernel.ProcNetTcp;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketCensusTest {
    private static final InetSocketAddress TARGET = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);

    private static ProcNetTcp.Socket row(String state, String local, int lport, String remote, int rport) {
        return new ProcNetTcp.Socket(state, local, lport, remote, rport, 0);
    }

    @Test
    void matchesEachClientConnectionWithTheServersSocketByFourTuple() {
        List<ProcNetTcp.Socket> client = List.of(
                row("ESTAB", "127.0.0.1", 40001, "127.0.0.1", 8080),   // accepted
                row("ESTAB", "127.0.0.1", 40002, "127.0.0.1", 8080),   // queued
                row("ESTAB", "127.0.0.1", 40003, "127.0.0.1", 8080),   // half-open on the server
                row("ESTAB", "127.0.0.1", 40004, "127.0.0.1", 8080),   // phantom
                row("SYN-SENT", "127.0.0.1", 40005, "127.0.0.1", 8080), // not connected: not counted
                row("ESTAB", "127.0.0.1", 40006, "127.0.0.2", 8080));  // another host: not counted
        List<ProcNetTcp.Socket> server = new ArrayList<>(List.of(
                new ProcNetTcp.Socket("LISTEN", "127.0.0.1", 8080, "0.0.0.0", 0, 1),
                row("ESTAB", "127.0.0.1", 8080, "127.0.0.1", 40001),
                row("ESTAB", "127.0.0.1", 8080, "127.0.0.1", 40002),
                row("SYN-RECV", "127.0.0.1", 8080, "127.0.0.1", 40003),
                row("ESTAB", "127.0.0.1", 8080, "127.0.0.1", 49999)));  // someone else's client
        SocketCensus c = SocketCensus.of(TARGET, client, server, 1, 16);
        assertEquals(new SocketCensus(4, 2, 1, 1, 1, 16), c);
        assertTrue(c.sentence().contains("1 not at all (phantoms"), c.sentence());
        assertTrue(c.synRecvCause().contains("TCP_DEFER_ACCEPT"), "queue not full: deferred accept, or ...");
        assertTrue(c.synRecvCause().contains("final ACK met a full accept queue earlier"), "... a final ACK dropped earlier");
        assertTrue(!c.withoutDeferredAccept().synRecvCause().contains("TCP_DEFER_ACCEPT"), "conlimit's own targets never defer");
    }

    @Test
    void oneTableHoldsBothSidesWhenClientAndServerShareANamespace() {
        List<ProcNetTcp.Socket> table = List.of(
                new ProcNetTcp.Socket("LISTEN", "127.0.0.1", 8080, "0.0.0.0", 0, 17),
                row("ESTAB", "127.0.0.1", 8080, "127.0.0.1", 40001),
                row("ESTAB", "127.0.0.1", 40001, "127.0.0.1", 8080),
                row("ESTAB", "127.0.0.1", 40002, "127.0.0.1", 8080));
        SocketCensus c = SocketCensus.of(TARGET, table, table, 17, 16);
        assertEquals(2, c.clientConnected());
        assertEquals(1, c.serverHas());
        assertEquals(1, c.phantoms());
        assertTrue(c.queueFull());
        assertTrue(c.synRecvCause().contains("full accept queue"));
    }

    @Test
    void anIpv4MappedPeerOnADualStackListenerMatchesTheClientsIpv4Address() {
        List<ProcNetTcp.Socket> client = List.of(row("ESTAB", "127.0.0.1", 40001, "127.0.0.1", 8080));
        List<ProcNetTcp.Socket> server = List.of(row("ESTAB", "::ffff:127.0.0.1", 8080, "::ffff:127.0.0.1", 40001));
        assertEquals(1, SocketCensus.of(TARGET, client, server, 0, 16).serverHas());
    }
}
