package io.conlimit.run;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which source observes the server's kernel. Pure logic: no traffic to any address. */
class EvidenceSourceChoiceTest {
    /** 203.0.113.0/24 is TEST-NET-3 (RFC 5737): never an address of this machine. */
    private static final InetAddress REMOTE = addr("203.0.113.5");
    private static final InetAddress LAN = addr("10.99.0.7");

    private static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no DNS lookup
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** This "machine" has 10.99.0.7 on an interface, besides loopback. */
    private static final Predicate<InetAddress> MACHINE = a -> a.isLoopbackAddress() || Set.of(LAN).contains(a);

    @Test
    void anAgentWinsWhateverTheTarget() {
        EvidenceSourceChoice c = EvidenceSourceChoice.choose("10.0.0.5:7070", true, addr("127.0.0.1"), MACHINE);
        assertEquals(EvidenceSourceChoice.Kind.AGENT, c.kind());
        assertTrue(c.reason().contains("10.0.0.5:7070"), c.reason());
        assertEquals(EvidenceSourceChoice.Kind.AGENT, EvidenceSourceChoice.choose("h:1", false, REMOTE, MACHINE).kind());
    }

    @Test
    void embeddedOrLocalAddressesAreReadDirectly() {
        assertEquals(EvidenceSourceChoice.Kind.LOCAL, EvidenceSourceChoice.choose(null, true, REMOTE, MACHINE).kind());
        assertEquals(EvidenceSourceChoice.Kind.LOCAL, EvidenceSourceChoice.choose(null, false, addr("127.0.0.9"), MACHINE).kind());
        EvidenceSourceChoice lan = EvidenceSourceChoice.choose(null, false, LAN, MACHINE);
        assertEquals(EvidenceSourceChoice.Kind.LOCAL, lan.kind());
        assertTrue(lan.reason().contains("10.99.0.7 belongs to this machine"), lan.reason());
    }

    @Test
    void aRemoteTargetWithoutAnAgentIsNotObservedAndTheReasonSaysHowToFixIt() {
        EvidenceSourceChoice c = EvidenceSourceChoice.choose(null, false, REMOTE, MACHINE);
        assertEquals(EvidenceSourceChoice.Kind.NONE, c.kind());
        assertTrue(c.reason().contains("203.0.113.5 is not on this machine"), c.reason());
        assertTrue(c.reason().contains("conlimit agent") && c.reason().contains("--agent"), c.reason());
    }

    @Test
    void theRealLocalityTestKnowsLoopbackTheWildcardAndNotTestNet() throws Exception {
        assertTrue(EvidenceSourceChoice.isLocalAddress(addr("127.0.0.1")));
        assertTrue(EvidenceSourceChoice.isLocalAddress(addr("::1")));
        assertTrue(EvidenceSourceChoice.isLocalAddress(addr("0.0.0.0")));
        assertFalse(EvidenceSourceChoice.isLocalAddress(REMOTE));
    }

    @Test
    void agentFlagsAreCheckedWhenTheObserverIsMade() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> new EvidenceObserver("nohost", null));
        assertTrue(bad.getMessage().startsWith("--agent"), bad.getMessage());
        IllegalArgumentException token = assertThrows(IllegalArgumentException.class, () -> new EvidenceObserver(null, "t"));
        assertTrue(token.getMessage().contains("--agent-token needs --agent"), token.getMessage());
    }
}
