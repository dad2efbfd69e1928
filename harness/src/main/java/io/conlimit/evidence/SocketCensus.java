package io.conlimit.evidence;

import io.conlimit.kernel.ProcNetTcp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Both sides' socket tables at the end of the load, while the client still holds its connections: for every
 * connection the client's kernel has established to the target, whether the server's kernel has a socket for it
 * (matched by the 4-tuple: the server's peer is the client's local address and port). What {@code ss -tn} on both
 * machines would show, done once.
 * <ul>
 *   <li>server {@code ESTAB} (or closing): the server's kernel has it, accepted by the application or waiting in
 *       the accept queue;</li>
 *   <li>server {@code SYN-RECV}: the handshake is not complete on the server: TCP_DEFER_ACCEPT keeps it until data
 *       arrives, or its final ACK was dropped at a full accept queue (the server retransmits its SYN-ACK);</li>
 *   <li>nothing: a phantom: the client completed a handshake (a SYN cookie) whose final ACK the server dropped at
 *       a full accept queue, and the server keeps no state for it at all.</li>
 * </ul>
 * Needs no NAT between the two (a Docker published port hides the container's sockets: conlimit warns about it).
 *
 * @param clientConnected connections the client's kernel has established (or the server closed: CLOSE-WAIT) to the target
 * @param serverHas       of them, those the server's kernel has an established (or closing) socket for
 * @param serverSynRecv   of them, those the server's kernel holds only as a half-open request (SYN-RECV)
 * @param phantoms        of them, those the server's kernel has no socket for at all
 * @param acceptQueue     the listener's accept-queue length at the census (-1 when not found)
 * @param backlog         the listener's backlog as the kernel reports it, -1 when unknown
 * @param mayDefer        whether the listener may use TCP_DEFER_ACCEPT (false for conlimit's own targets, which never do)
 */
public record SocketCensus(long clientConnected, long serverHas, long serverSynRecv, long phantoms, long acceptQueue,
                           long backlog, boolean mayDefer) {

    /** A census of a listener that may defer accept (any server conlimit did not start). */
    public SocketCensus(long clientConnected, long serverHas, long serverSynRecv, long phantoms, long acceptQueue, long backlog) {
        this(clientConnected, serverHas, serverSynRecv, phantoms, acceptQueue, backlog, true);
    }

    /** This census, for a listener known never to defer accept (conlimit's own targets). */
    public SocketCensus withoutDeferredAccept() {
        return new SocketCensus(clientConnected, serverHas, serverSynRecv, phantoms, acceptQueue, backlog, false);
    }

    /**
     * Matches the client's rows (its own namespace) with the server's rows (the server's namespace; the same table
     * when both run in one namespace).
     *
     * @param target the target as the client connects to it
     */
    public static SocketCensus of(InetSocketAddress target, List<ProcNetTcp.Socket> client, List<ProcNetTcp.Socket> server,
                                  long acceptQueue, long backlog) {
        int port = target.getPort();
        Map<InetSocketAddress, String> serverByPeer = new HashMap<>();
        for (ProcNetTcp.Socket s : server) {
            if (s.localPort() == port && !s.state().equals("LISTEN")) {
                serverByPeer.put(address(s.remote(), s.remotePort()), s.state());
            }
        }
        long connected = 0;
        long has = 0;
        long synRecv = 0;
        long phantoms = 0;
        for (ProcNetTcp.Socket c : client) {
            if (c.remotePort() != port || !(c.state().equals("ESTAB") || c.state().equals("CLOSE-WAIT"))
                    || !address(c.remote(), c.remotePort()).equals(target)) {
                continue;
            }
            connected++;
            String st = serverByPeer.get(address(c.local(), c.localPort()));
            if (st == null) {
                phantoms++;
            } else if (st.equals("SYN-RECV")) {
                synRecv++;
            } else {
                has++;
            }
        }
        return new SocketCensus(connected, has, synRecv, phantoms, acceptQueue, backlog);
    }

    private static InetSocketAddress address(String host, int port) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            // a literal: no lookup; ::ffff:a.b.c.d becomes the IPv4 address, as the client sees it
            return new InetSocketAddress(InetAddress.getByName(h), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + host, e);
        }
    }

    /** Whether the accept queue was full at the census (its length above the backlog). */
    public boolean queueFull() {
        return backlog >= 0 && acceptQueue > backlog;
    }

    /**
     * The plain-words cause of the half-open ones, from the queue's state and what is known of the listener: a full
     * queue dropped their final ACK; with room in the queue, either the listener defers them (TCP_DEFER_ACCEPT) or
     * their final ACK was dropped earlier, while the queue was full, and the server still retransmits its SYN-ACK.
     */
    public String synRecvCause() {
        String dropped = "their final ACK met the full accept queue and was dropped; the server retransmits its SYN-ACK";
        if (queueFull()) {
            return dropped;
        }
        String earlier = "their final ACK met a full accept queue earlier and was dropped; the server still retransmits its"
                + " SYN-ACK and takes them when an ACK arrives while the queue has room";
        if (!mayDefer) {
            return earlier + " (this listener never defers accept)";
        }
        return "the accept queue had room now, so either the listener defers them (TCP_DEFER_ACCEPT: Apache's AcceptFilter,"
                + " nginx 'deferred': the application never sees a connection that sends nothing) or " + earlier;
    }

    /** summary.json's {@code server_sockets} (docs/results.md). */
    public Map<String, Object> toJson(String source, double atS) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("taken", true);
        m.put("reason", null);
        m.put("source", source);
        m.put("at_s", Math.round(atS * 1000) / 1000.0);
        m.put("client_connected", clientConnected);
        m.put("server_has", serverHas);
        m.put("server_syn_recv", serverSynRecv);
        m.put("phantoms", phantoms);
        m.put("accept_queue", acceptQueue);
        m.put("backlog", backlog);
        m.put("sentence", sentence());
        return m;
    }

    /** summary.json's {@code server_sockets} when no census could be taken. */
    public static Map<String, Object> notTaken(String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("taken", false);
        m.put("reason", reason);
        return m;
    }

    /** What the census says, in plain words. */
    public String sentence() {
        if (clientConnected == 0) {
            return "the client held no connection to the target at the end of the load: nothing to verify";
        }
        StringBuilder b = new StringBuilder();
        b.append("the client held ").append(clientConnected).append(" connections; the server's kernel had ").append(serverHas)
                .append(" of them (accepted, or waiting in its accept queue");
        if (acceptQueue >= 0) {
            b.append(", which held ").append(acceptQueue);
        }
        b.append(")");
        if (serverSynRecv > 0) {
            b.append("; ").append(serverSynRecv).append(" only half-open (SYN-RECV): ").append(synRecvCause());
        }
        if (phantoms > 0) {
            b.append("; ").append(phantoms).append(" not at all (phantoms: the client completed a handshake, often with a SYN"
                    + " cookie, whose final ACK the server dropped at its full accept queue; the server keeps no state for them)");
        }
        return b.toString();
    }
}
