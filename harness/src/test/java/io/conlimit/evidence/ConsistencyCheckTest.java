package io.conlimit.evidence;

import io.conlimit.evidence.ConsistencyCheck.ClientView;
import io.conlimit.evidence.ConsistencyCheck.Status;
import io.conlimit.evidence.ConsistencyCheck.Verdict;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsistencyCheckTest {

    @Test
    void agreesWhenServerDroppedAtLeastWhatTheClientRetransmitted() {
        // 3 clients into a full queue, 2 retransmits each: 3 first SYNs + 6 retransmits = 9 overflows
        Verdict v = ConsistencyCheck.check(new ClientView(6, 0, 0),
                Map.of("ListenOverflows", 9L, "ListenDrops", 9L, "TCPSynRetrans", 6L));
        assertEquals(Status.AGREE, v.status());
        assertTrue(v.explanation().contains("retransmitted 6 SYNs") && v.explanation().contains("dropped 9"), v.explanation());
        assertEquals(6L, v.compared().get("client_syn_retransmits"));
    }

    @Test
    void agreesWhenNothingWasDropped() {
        assertEquals(Status.AGREE, ConsistencyCheck.check(new ClientView(0, 0, 0), Map.of()).status());
    }

    @Test
    void clientSawDropsButServerCountedNone() {
        Verdict v = ConsistencyCheck.check(new ClientView(37, 2, 0), Map.of("ListenOverflows", 0L, "ListenDrops", 0L));
        assertEquals(Status.DISAGREE, v.status());
        assertTrue(v.explanation().contains("37 SYN retransmits"), v.explanation());
        assertTrue(v.explanation().contains("another process") && v.explanation().contains("Docker's userland proxy"), v.explanation());
    }

    @Test
    void serverCountedOverflowsButClientSawNothing() {
        Verdict v = ConsistencyCheck.check(new ClientView(0, 0, 0), Map.of("ListenOverflows", 12L, "ListenDrops", 12L));
        assertEquals(Status.DISAGREE, v.status());
        assertTrue(v.explanation().contains("12 accept-queue overflows") && v.explanation().contains("other clients"), v.explanation());
    }

    @Test
    void overflowsAtTheFinalAckMatchConnectedButUnservedClients() {
        Verdict v = ConsistencyCheck.check(new ClientView(0, 0, 5), Map.of("ListenOverflows", 5L, "ListenDrops", 5L));
        assertEquals(Status.AGREE, v.status());
        assertTrue(v.explanation().contains("final ACK"), v.explanation());
    }

    @Test
    void fewerServerDropsThanRetransmitsPointsElsewhere() {
        Verdict v = ConsistencyCheck.check(new ClientView(10, 0, 0), Map.of("ListenOverflows", 4L, "ListenDrops", 4L));
        assertEquals(Status.DISAGREE, v.status());
        assertTrue(v.explanation().contains("6 SYNs"), v.explanation());
    }

    @Test
    void synQueueDropsCountAsServerDropsAndCookiesAreMentioned() {
        Verdict v = ConsistencyCheck.check(new ClientView(3, 0, 0),
                Map.of("TCPReqQFullDrop", 3L, "ListenDrops", 3L, "TCPReqQFullDoCookies", 0L));
        assertEquals(Status.AGREE, v.status());
        Verdict c = ConsistencyCheck.check(new ClientView(2, 0, 0),
                Map.of("ListenOverflows", 4L, "ListenDrops", 4L, "TCPReqQFullDoCookies", 7L));
        assertTrue(c.explanation().contains("7 SYN cookies"), c.explanation());
    }

    @Test
    void unknownClientRetransmitsAreInconclusive() {
        Verdict v = ConsistencyCheck.check(new ClientView(-1, 0, 0), Map.of("ListenOverflows", 1L));
        assertEquals(Status.INCONCLUSIVE, v.status());
        assertEquals("inconclusive", v.toJson().get("status"));
    }
}
