package io.conlimit.run;

import io.conlimit.evidence.EvidenceSession;
import io.conlimit.evidence.SocketCensus;
import io.conlimit.kernel.ProcNet;
import io.conlimit.kernel.ProcNetTcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Takes the {@link SocketCensus} at the end of the load: the server's socket table through the run's evidence
 * source, the client's from this process's own namespace, the backlog from the latest queue sample.
 */
final class CensusTaker {
    private CensusTaker() {
    }

    /** summary.json's {@code server_sockets}: the census, or why it could not be taken. */
    static Map<String, Object> take(EvidenceSession session, InetSocketAddress target, long epochNanos, boolean ownTarget) {
        int port = target.getPort();
        List<ProcNetTcp.Socket> server;
        try {
            server = session.source().sockets(port);
        } catch (UnsupportedOperationException e) {
            return SocketCensus.notTaken(e.getMessage());
        } catch (IOException | RuntimeException e) {
            return SocketCensus.notTaken("the server's socket table could not be read: " + e.getMessage());
        }
        double atS = (System.nanoTime() - epochNanos) / 1e9;
        List<ProcNetTcp.Socket> client = server; // a "local" source reads this process's own namespace: one table
        if (!"local".equals(session.source().describe())) {
            try (ProcNet own = ProcNet.own()) {
                client = own.sockets(port);
            } catch (IOException | RuntimeException e) {
                return SocketCensus.notTaken("the client's own socket table could not be read: " + e.getMessage());
            }
        }
        long queue = -1;
        for (ProcNetTcp.Socket s : server) {
            if (s.state().equals("LISTEN") && s.localPort() == port) {
                queue = Math.max(queue, s.rxQueue());
            }
        }
        long backlog = session.tally().lastBacklog();
        try {
            SocketCensus found = SocketCensus.of(target, client, server, queue, backlog);
            SocketCensus c = ownTarget ? found.withoutDeferredAccept() : found;
            return c.toJson(session.source().describe(), atS);
        } catch (IllegalArgumentException e) {
            return SocketCensus.notTaken("the socket tables could not be matched: " + e.getMessage());
        }
    }
}
