package io.conlimit.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A filled accept queue, seen from outside its namespace. A child JVM inside a namespace of our own listens
 * with backlog B = 4 and never accepts; it completes B + 1 connections (the queue is full only when
 * queued &gt; max) and starts 3 more, whose SYNs the kernel drops and the clients retransmit. This JVM samples
 * the listener (the queue length from the namespace's /proc/net/tcp, opened through a helper started with
 * {@code ip netns exec}; the maximum with ss run through it) and the counters with cat run through it.
 * <p>
 * Why ListenOverflows &gt;= TCPSynRetrans: in this namespace only the 3 extra clients retransmit SYNs (the
 * listener sends no SYN-ACK to a SYN it drops, so there are no SYN-ACK retransmits, which TCPSynRetrans would
 * also count). Every SYN of those clients, the first and each retransmit, reaches the full queue and is
 * counted once by ListenOverflows (tcp_conn_request). So overflows = 3 first SYNs + retransmits delivered;
 * a retransmit still in flight when the counters are read (at most one per client, 3) is covered by the 3 first SYNs.
 */
class ListenQueueSamplerNamespaceTest {
    private static final int B = 4;
    private static final int EXTRA = 3;

    @Test
    void samplerSeesFullQueueAndCountersMatchTheClientsRetransmits() throws Exception {
        try (NetworkNamespace ns = Namespaces.createOrSkip()) {
            TcpExtCounters counters = TcpExtCounters.in(ns);
            Map<String, Long> before = counters.readEvidence();
            try (ChildJava child = ChildJava.start(ns.exec(ChildJava.command(FullQueueChild.class, "hold", "" + B, "" + EXTRA)))) {
                int port = Integer.parseInt(child.await("PORT ", 30_000).substring(5));
                child.await("READY", 30_000);
                ListenQueues queues = ListenQueues.find().orElseThrow().in(ns);
                try (ListenQueueSampler sampler = ListenQueueSampler.builder(queues, port).host("127.0.0.1")
                        .counters(counters).rateHz(10).build().start()) {
                    // wait until every extra client has retransmitted at least twice (1 s and 2 s after its SYN) and the
                    // sampler has 5 samples (each forks ip + cat for the counters: slow on a loaded machine)
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    Map<String, Long> delta;
                    do {
                        delta = TcpExtCounters.delta(before, counters.readEvidence(), TcpExtCounters.LISTEN_EVIDENCE);
                        Thread.sleep(100); // poll interval, bounded by the deadline
                    } while ((delta.get("TCPSynRetrans") < 2L * EXTRA || sampler.samplesTaken() < 5)
                            && System.nanoTime() < deadline);
                    sampler.stop();
                    Map<String, Long> after = counters.readEvidence();
                    delta = TcpExtCounters.delta(before, after, TcpExtCounters.LISTEN_EVIDENCE);

                    assertTrue(sampler.samplesTaken() >= 5, "samples taken: " + sampler.samplesTaken() + " errors: " + sampler.lastError());
                    assertEquals(0, sampler.samplesFromSs(), sampler.queueSource());
                    assertEquals(B + 1, sampler.maxQueuedSeen(), "max Recv-Q (queue length) must be B+1");
                    assertEquals(B, sampler.maxBacklogSeen(), "max Send-Q (queue maximum) must be B");
                    long retrans = delta.get("TCPSynRetrans");
                    assertTrue(retrans >= 2L * EXTRA, "clients retransmitted " + retrans + " SYNs: " + delta);
                    assertTrue(delta.get("ListenOverflows") >= retrans,
                            "ListenOverflows " + delta.get("ListenOverflows") + " < SYN retransmits " + retrans + ": " + delta);
                    assertTrue(delta.get("ListenDrops") >= delta.get("ListenOverflows"), "ListenDrops counts overflows too: " + delta);

                    List<ListenQueueSampler.Sample> samples = sampler.since(Long.MIN_VALUE);
                    assertEquals(sampler.samplesTaken(), samples.size());
                    ListenQueueSampler.Sample last = samples.get(samples.size() - 1);
                    assertEquals(B + 1, last.queued());
                    assertTrue(last.counters().get("ListenOverflows") > before.get("ListenOverflows"));
                    assertTrue(sampler.since(last.nanos()).isEmpty(), "since() is exclusive");
                    // the sampler keeps sampling: takeSince hands over what is buffered and forgets it
                    List<ListenQueueSampler.Sample> taken = sampler.takeSince(samples.get(samples.size() - 2).nanos());
                    assertEquals(last.nanos(), taken.get(0).nanos(), "takeSince() is exclusive too");
                    long lastTaken = taken.get(taken.size() - 1).nanos();
                    assertTrue(sampler.since(Long.MIN_VALUE).stream().allMatch(x -> x.nanos() > lastTaken),
                            "nothing handed over stays in the buffer");
                }
                child.closeInput();
                assertEquals("PENDING " + EXTRA, child.await("PENDING", 10_000), "the extra clients were never connected");
            }
        }
    }
}
