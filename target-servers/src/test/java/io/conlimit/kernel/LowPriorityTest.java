package io.conlimit.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class LowPriorityTest {
    @Test
    void lowersOnlyTheCallingThread() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/thread-self")), "no /proc/thread-self: not Linux");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")),
                "renice is not installed (util-linux)");
        OptionalInt before = LowPriority.niceOfThisThread();
        assertTrue(before.isPresent());
        AtomicReference<Boolean> lowered = new AtomicReference<>();
        AtomicReference<OptionalInt> after = new AtomicReference<>();
        Thread t = new Thread(LowPriority.lowered(() -> after.set(LowPriority.niceOfThisThread())), "low");
        Thread check = new Thread(() -> lowered.set(LowPriority.lowerThisThread()), "check");
        t.start();
        check.start();
        t.join();
        check.join();
        assertEquals(OptionalInt.of(LowPriority.NICE), after.get(), "the wrapped task runs at nice 19");
        assertTrue(lowered.get(), "lowerThisThread says it worked");
        assertEquals(before, LowPriority.niceOfThisThread(), "the caller's own thread is untouched");
    }

    /** The listen-queue sampler's thread runs at nice 19 (docs/benchmarks.md, item 15), read from its /proc stat. */
    @Test
    void theListenQueueSamplerRunsAtNice19() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "no /proc: not Linux");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/renice")) || Files.isExecutable(Path.of("/bin/renice")),
                "renice is not installed (util-linux)");
        assumeTrue(ListenQueues.find().isPresent(), "iproute2's ss is not installed");
        try (java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()) {
            server.bind(new java.net.InetSocketAddress("127.0.0.1", 0), 4);
            int port = ((java.net.InetSocketAddress) server.getLocalAddress()).getPort();
            try (ListenQueueSampler sampler = ListenQueueSampler.builder(ListenQueues.find().orElseThrow(), port)
                    .host("127.0.0.1").counters(null).rateHz(50).build().start()) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (sampler.samplesTaken() < 3 && System.nanoTime() < deadline) {
                    Thread.sleep(10); // poll interval, bounded by the deadline
                }
                assertTrue(sampler.samplesTaken() >= 3, "samples: " + sampler.samplesTaken());
                assertEquals(java.util.List.of(LowPriority.NICE), nicesOf("listen-queue-sa"), "the sampler thread's nice");
            }
        }
    }

    /** The nice values of this process's threads whose name (comm, 15 characters) starts with {@code prefix}. */
    private static java.util.List<Integer> nicesOf(String prefix) throws java.io.IOException {
        java.util.List<Integer> out = new java.util.ArrayList<>();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    if (Files.readString(t.resolve("comm")).startsWith(prefix)) {
                        String stat = Files.readString(t.resolve("stat"));
                        out.add(Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ")[16]));
                    }
                } catch (java.nio.file.NoSuchFileException ended) {
                    // a thread that ended meanwhile
                }
            }
        }
        return out;
    }
}
