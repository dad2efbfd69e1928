package io.conlimit.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * /proc/net of a namespace the test creates, read from outside it: a child JVM inside listens with backlog B and
 * holds K connections it never accepts; the namespace's /proc/net/tcp head (opened through a helper that is gone
 * once the files are open) shows rx_queue == K == ss Recv-Q (ss run through ip netns exec), same inode, Send-Q == B.
 */
class ProcNetNamespaceTest {
    private static final int B = 7;
    private static final int K = 5;

    @Test
    void namespaceListenerSeenThroughPinnedProcFiles() throws Exception {
        try (NetworkNamespace ns = Namespaces.createOrSkip();
             ChildJava child = ChildJava.start(ns.exec(ChildJava.command(QueuedListenerChild.class, "127.0.0.1", "" + B, "" + K)))) {
            int port = Integer.parseInt(child.await("PORT ", 30_000).substring(5));
            child.await("READY", 30_000);
            ListenQueues ss = ListenQueues.find().orElseThrow().in(ns);
            try (ProcNet proc = ProcNet.in(ns)) {
                assertTrue(proc.describe().startsWith("/proc/net of namespace " + ns.name() + " (net:["), proc.describe());
                // the helper has ended: the only process in the namespace is the child JVM
                assertEquals(List.of("" + child.process().pid()), List.of(NetworkNamespace.run(List.of("ip", "netns", "pids", ns.name())).trim().split("\\s+")));
                ProcNetTcp.Listener seen = ProcNetKernelTest.awaitQueued(proc, port, K);
                assertEquals("127.0.0.1:" + port, seen.local());
                Map<Long, ListenSocket> viaSs = ss.byInode(port);
                ListenSocket s = viaSs.get(seen.inode());
                assertTrue(s != null, "ss -e in the namespace has no listener with inode " + seen.inode() + ": " + viaSs);
                assertEquals(List.of(K, B), List.of(s.queued(), s.max()), "ss Recv-Q, Send-Q");
                assertEquals(K, proc.listeners(port).get(0).queued(), "/proc rx_queue after ss");
                // our own namespace's /proc/net does not have that listener (the port may be reused here by chance:
                // compare inodes, which are unique)
                try (ProcNet here = ProcNet.own()) {
                    assertTrue(here.listeners().stream().noneMatch(l -> l.inode() == seen.inode()));
                }
                // the namespace's counters through the same open files == through ip netns exec cat
                assertEquals(TcpExtCounters.in(ns).readEvidence(), TcpExtCounters.from(proc).readEvidence());

                // a sampler given the files, and one that opens its own through the ListenQueues prefix
                try (ListenQueueSampler given = ListenQueueSampler.builder(ss, port).host("127.0.0.1")
                        .counters(TcpExtCounters.from(proc)).procNet(proc).build();
                     ListenQueueSampler own = ListenQueueSampler.builder(ss, port).host("127.0.0.1").counters(null).build()) {
                    for (int i = 0; i < 3; i++) {
                        ListenQueueSampler.Sample a = given.sampleNow();
                        ListenQueueSampler.Sample b = own.sampleNow();
                        assertEquals(List.of(K, B), List.of(a.queued(), a.max()));
                        assertEquals(List.of(K, B), List.of(b.queued(), b.max()));
                        assertEquals(0L, a.counters().get("ListenOverflows"));
                    }
                    assertEquals(3, given.samplesFromProc());
                    assertEquals(3, own.samplesFromProc());
                    assertEquals(proc.describe() + " (Send-Q from ss -e)", given.queueSource());
                    assertTrue(own.queueSource().startsWith("/proc/net of 'ip netns exec " + ns.name() + "' (net:["), own.queueSource());
                }
            }
            child.closeInput();
            child.waitFor(10_000);
        }
    }

    @Test
    void aNamespaceThatDoesNotExistIsAClearError() throws Exception {
        var why = NetworkNamespace.unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
        IOException e = assertThrows(IOException.class,
                () -> ProcNet.in(List.of("ip", "netns", "exec", "conlimit-no-such-namespace")));
        assertTrue(e.getMessage().contains("conlimit-no-such-namespace"), e.getMessage());
    }

    @Test
    void ownNamespaceThroughAPrefixThatExecs() throws Exception {
        // nothing namespace-specific: 'env' execs its command in place, so the helper's /proc/PID/net is ours
        try (ServerSocketChannel server = ServerSocketChannel.open();
             ProcNet viaHelper = ProcNet.in(List.of("env"))) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), 3);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            assertEquals(1, viaHelper.listeners(port).size(), viaHelper.describe());
        }
    }
}
