package io.conlimit.evidence;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts what the client saw beside what the server's kernel counted, and says in plain words whether they tell
 * the same story. The kernel facts it relies on (KERNEL-NOTES.md): a SYN that meets a full accept queue is
 * dropped silently and counted once in ListenOverflows and ListenDrops (which counts every listener drop), retransmits included, so a client
 * that retransmitted N SYNs into a full queue implies at least N overflows; a final ACK that meets a full queue
 * is also counted as an overflow while the client already believes it is connected; SYN-queue overflow is
 * counted in TCPReqQFullDoCookies (cookies sent) or TCPReqQFullDrop (cookies off).
 */
public final class ConsistencyCheck {
    private ConsistencyCheck() {
    }

    /** The outcome. */
    public enum Status {
        /** Both sides tell the same story. */
        AGREE,
        /** They contradict each other: something between them (or another process) is involved. */
        DISAGREE,
        /** Not enough data to compare. */
        INCONCLUSIVE
    }

    /**
     * What the client side observed over the run.
     *
     * @param synRetransmits    SYN retransmits of the client's connections (TCP_INFO total_retrans of connections
     *                          that were never established, plus those established late), -1 when unknown
     * @param connectTimeouts   connect() calls that failed with a timeout (ETIMEDOUT or the client's own deadline)
     * @param connectedUnserved connections the client believed established that the server never served
     * @param phantoms          from the socket census: connections the client held that the server's kernel had no
     *                          socket for; -1 when no census was taken
     * @param halfOpen          from the census: connections the client held that the server kept half-open (SYN-RECV); -1 likewise
     */
    public record ClientView(long synRetransmits, long connectTimeouts, long connectedUnserved, long phantoms, long halfOpen,
                             long refused) {
        public ClientView(long synRetransmits, long connectTimeouts, long connectedUnserved) {
            this(synRetransmits, connectTimeouts, connectedUnserved, -1, -1, -1);
        }

        public ClientView(long synRetransmits, long connectTimeouts, long connectedUnserved, long phantoms, long halfOpen) {
            this(synRetransmits, connectTimeouts, connectedUnserved, phantoms, halfOpen, -1);
        }
    }

    /**
     * The verdict when the server's kernel never had a listener on the target's address during the run (every sample
     * found none): the counters describe other sockets, so nothing is compared, and the explanation says what the
     * client met instead (refused: nothing listens there).
     */
    public static Verdict noListener(ClientView client, long samples, Map<String, Long> serverDelta) {
        Map<String, Long> compared = new LinkedHashMap<>(checkCounters(client, serverDelta).compared());
        compared.put("server_samples_with_listener", 0L);
        String refused = client.refused() > 0 ? " The client's connections were refused " + client.refused()
                + " times (an RST to the SYN: nothing listens on that address and port)." : "";
        return new Verdict(Status.INCONCLUSIVE, "The server's kernel had no listener on the target's address and port in"
                + " any of its " + samples + " samples, so its counters are not this run's story." + refused
                + " Check the server's --bind (a server bound to 127.0.0.1 cannot be reached from another machine) and"
                + " its port.", compared);
    }

    /**
     * The verdict.
     *
     * @param status      agree / disagree / inconclusive
     * @param explanation plain words, naming the likely cause when the two sides disagree
     * @param compared    the numbers compared, for summary.json
     */
    public record Verdict(Status status, String explanation, Map<String, Long> compared) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("status", status.name().toLowerCase());
            m.put("explanation", explanation);
            m.put("compared", compared);
            return m;
        }
    }

    /**
     * Compares {@code client} with the server kernel's counter deltas over the same run. When the socket census found
     * connections the client believes in and the server does not have (phantoms) or holds only half-open, the
     * status is {@link Status#DISAGREE} whatever the counters say: the client's count of connections is not the
     * server's, and the explanation says how many and why.
     */
    public static Verdict check(ClientView client, Map<String, Long> serverDelta) {
        Verdict counters = checkCounters(client, serverDelta);
        if (client.phantoms() <= 0 && client.halfOpen() <= 0) {
            return counters;
        }
        Map<String, Long> compared = new LinkedHashMap<>(counters.compared());
        compared.put("census_phantoms", Math.max(0, client.phantoms()));
        compared.put("census_half_open", Math.max(0, client.halfOpen()));
        StringBuilder why = new StringBuilder("The client holds connections the server's application does not have: ");
        if (client.phantoms() > 0) {
            why.append(client.phantoms()).append(" the server's kernel has no socket for (phantoms: handshakes completed,"
                    + " often with SYN cookies, whose final ACK a full accept queue dropped");
            long overflows = get(serverDelta, "ListenOverflows");
            why.append(overflows > 0 ? "; ListenOverflows +" + overflows + " counts those drops)" : ")");
        }
        if (client.halfOpen() > 0) {
            why.append(client.phantoms() > 0 ? "; " : "").append(client.halfOpen())
                    .append(" it keeps half-open (SYN-RECV: deferred accept, or a final ACK dropped at a full queue)");
        }
        why.append(". Counters: ").append(counters.explanation());
        return new Verdict(Status.DISAGREE, why.toString(), compared);
    }

    private static Verdict checkCounters(ClientView client, Map<String, Long> serverDelta) {
        long overflows = get(serverDelta, "ListenOverflows");
        long reqqDrop = get(serverDelta, "TCPReqQFullDrop");
        // every drop in tcp_conn_request goes through tcp_listendrop(): ListenDrops includes both kinds
        long drops = Math.max(get(serverDelta, "ListenDrops"), overflows + reqqDrop);
        long cookies = Math.max(get(serverDelta, "TCPReqQFullDoCookies"), get(serverDelta, "SyncookiesSent"));
        long serverDropped = drops;

        Map<String, Long> compared = new LinkedHashMap<>();
        compared.put("client_syn_retransmits", client.synRetransmits());
        compared.put("client_connect_timeouts", client.connectTimeouts());
        compared.put("client_connected_unserved", client.connectedUnserved());
        compared.put("server_listen_overflows", overflows);
        compared.put("server_listen_drops", drops);
        compared.put("server_reqq_full_drop", reqqDrop);
        compared.put("server_syncookies_sent", cookies);

        String cookieNote = cookies > 0 ? " The SYN queue also overflowed: " + cookies
                + " SYN cookies were sent (cookies never bypass a full accept queue)." : "";
        if (client.synRetransmits() < 0) {
            return new Verdict(Status.INCONCLUSIVE, "The client's SYN retransmits are unknown (no TCP_INFO); the server counted "
                    + overflows + " accept-queue overflows and " + reqqDrop + " SYN-queue drops." + cookieNote, compared);
        }
        long retrans = client.synRetransmits();
        boolean clientSawDrops = retrans > 0 || client.connectTimeouts() > 0;

        if (!clientSawDrops && serverDropped == 0) {
            if (client.connectedUnserved() > 0) {
                return new Verdict(Status.AGREE, "No SYN was dropped on either side; " + client.connectedUnserved()
                        + " connections were established but never served: they waited in the accept queue or in"
                        + " the server's own queue (the server is busy, not refusing)." + cookieNote, compared);
            }
            return new Verdict(Status.AGREE, "Neither side saw a dropped SYN: the client retransmitted none and the server's"
                    + " kernel counted no accept-queue overflow or SYN-queue drop." + cookieNote, compared);
        }
        if (clientSawDrops && serverDropped == 0) {
            return new Verdict(Status.DISAGREE, "The client saw " + retrans + " SYN retransmits and " + client.connectTimeouts()
                    + " connect timeouts, but the server's kernel counted 0 accept-queue overflows and 0 SYN-queue drops:"
                    + " the SYNs were not dropped by this listener. Likely causes: another process or namespace owns the"
                    + " port the client reached; a proxy (e.g. Docker's userland proxy for a published port, or a load"
                    + " balancer) accepts on the server's behalf; a firewall drops SYNs on the way; or the evidence comes"
                    + " from a different host or namespace than the target." + cookieNote, compared);
        }
        if (!clientSawDrops) {
            if (client.connectedUnserved() > 0 && overflows > 0) {
                return new Verdict(Status.AGREE, "The server counted " + overflows + " accept-queue overflows while the client"
                        + " retransmitted no SYN: the queue filled between SYN-ACK and the final ACK, the kernel dropped"
                        + " that ACK (tcp_abort_on_overflow=0) and " + client.connectedUnserved() + " clients believed"
                        + " they were connected before the server had a socket for them." + cookieNote, compared);
            }
            return new Verdict(Status.DISAGREE, "The server's kernel counted " + overflows + " accept-queue overflows and "
                    + reqqDrop + " SYN-queue drops, but this client saw no SYN retransmit and no timeout. Likely causes:"
                    + " other clients (not this run) hit the server at the same time; the counters are per namespace and"
                    + " include other listeners there; or the final ACK of a handshake met a full queue (the client then"
                    + " believes it is connected; see connected-unserved)." + cookieNote, compared);
        }
        if (drops >= retrans) {
            return new Verdict(Status.AGREE, "The client retransmitted " + retrans + " SYNs and the server's kernel dropped "
                    + drops + " at its full accept queue (every SYN into a full queue counts once, the first SYN and each"
                    + " retransmit, so the server's count is at least the client's)." + cookieNote, compared);
        }
        return new Verdict(Status.DISAGREE, "The client retransmitted " + retrans + " SYNs but the server's kernel counted only "
                + drops + " listen drops: " + (retrans - drops) + " SYNs (or their SYN-ACKs) were lost elsewhere. Likely"
                + " causes: packet loss or a firewall between client and server, a proxy in between, or SYN-ACKs lost"
                + " on the way back (the server then retransmits SYN-ACKs rather than counting drops)." + cookieNote, compared);
    }

    private static long get(Map<String, Long> m, String k) {
        Long v = m.get(k);
        return v == null ? 0 : v;
    }
}
