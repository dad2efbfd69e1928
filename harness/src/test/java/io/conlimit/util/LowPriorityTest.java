package io.conlimit.util;

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
}
