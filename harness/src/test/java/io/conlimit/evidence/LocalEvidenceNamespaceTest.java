package io.conlimit.evidence;

import io.conlimit.kernel.ChildJava;
import io.conlimit.kernel.FullQueueChild;
import io.conlimit.kernel.Namespaces;
import io.conlimit.kernel.NetworkNamespace;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LocalEvidence + EvidenceSession against a real kernel: a child in a namespace of our own listens with backlog
 * 2 and never accepts, completes 3 connections (B + 1) and starts 1 more, which the full queue drops. The child
 * waits until the session has read its baseline counters, so the delta covers every SYN of the extra client:
 * its first SYN and each retransmit are one overflow each, hence overflows &gt;= retransmits even with one retransmit in flight.
 */
class LocalEvidenceNamespaceTest {

    @Test
    void sessionSummarisesQueueCountersAndConsistency() throws Exception {
        try (NetworkNamespace ns = Namespaces.createOrSkip()) {
            ns.sysctl("net.core.somaxconn", "64");
            try (ChildJava child = ChildJava.start(ns.exec(ChildJava.command(FullQueueChild.class, "hold", "2", "1", "wait")))) {
                int port = Integer.parseInt(child.await("PORT ", 30_000).substring(5));
                long epoch = System.nanoTime();
                try (EvidenceSession session = EvidenceSession.start(LocalEvidence.in(ns, port, "127.0.0.1", 20, epoch))) {
                    child.send("GO"); // the baseline counters are read: now fill the queue
                    child.await("READY", 30_000);
                    // wait for the extra client's first SYN retransmit (about 1 s after its SYN) and for a sample
                    // of the full queue
                    long deadline = System.nanoTime() + 20_000_000_000L;
                    boolean fullSeen = false;
                    java.util.List<io.conlimit.kernel.ListenQueueSampler.Sample> polled = new java.util.ArrayList<>();
                    long base = session.countersAtStart().get("TCPSynRetrans");
                    while ((!fullSeen || session.source().counters().get("TCPSynRetrans") - base < 1) && System.nanoTime() < deadline) {
                        java.util.List<io.conlimit.kernel.ListenQueueSampler.Sample> fresh = session.poll();
                        polled.addAll(fresh);
                        fullSeen |= fresh.stream().anyMatch(x -> x.queued() == 3);
                        Thread.sleep(100); // poll interval, bounded by the deadline
                    }
                    Map<String, Long> now = session.source().counters();
                    long retrans = now.get("TCPSynRetrans") - base; // the client's SYN retransmits during the session
                    KernelEvidenceSummary s = session.finish(new ConsistencyCheck.ClientView(retrans, 0, 0), polled::addAll);
                    assertEquals("namespace " + ns.name(), s.source());
                    LocalEvidence src = (LocalEvidence) session.source();
                    assertEquals(3, s.queueMaxSeen(), "B + 1 connections fit; samples " + s.samples() + ", sampler errors "
                            + src.sampler().errors() + ": " + src.sampler().lastError().orElse("none"));
                    assertEquals(2, s.backlogSeen());
                    assertTrue(src.sampler().queueSource().startsWith("/proc/net of namespace " + ns.name() + " "),
                            src.sampler().queueSource());
                    assertEquals(0, src.sampler().samplesFromSs(), "every queue reading from the namespace's /proc/net/tcp");
                    assertTrue(s.countersDelta().get("ListenOverflows") >= retrans, s.countersDelta().toString());
                    assertEquals(ConsistencyCheck.Status.AGREE, s.consistency().orElseThrow().status(), s.toJson().toString());
                    @SuppressWarnings("unchecked")
                    Map<String, Object> sysctls = (Map<String, Object>) s.serverSettings().get("sysctls");
                    assertEquals("64", sysctls.get("net.core.somaxconn"), "settings of the target's namespace, not ours");
                    Map<String, Object> json = s.toJson();
                    assertEquals(20.0, json.get("sampling_rate_hz"));
                    assertEquals(null, json.get("clock"));
                    assertTrue(s.samples() >= 1);
                    assertEquals(polled.size(), s.samples(), "the summary counts every sample polled, none kept twice");
                    assertTrue(polled.stream().allMatch(x -> x.nanos() > 0), "sample times are after the run's epoch");
                }
                child.closeInput();
            }
        }
    }
}
