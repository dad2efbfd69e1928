package io.conlimit.lab;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Shared helpers of the lab tests. */
final class LabTesting {
    /** Child JVMs start slowly on a busy 2-core machine: generous. */
    static final Duration CHILD_TIMEOUT = Duration.ofSeconds(90);

    private LabTesting() {
    }

    static void assumeLabAvailable() {
        String why = LabNetwork.unavailableReason().orElse(null);
        assumeTrue(why == null, () -> "namespace lab tests skipped: " + why);
    }

    /** A run id unique to this test run, so leftovers of other runs are never touched by name. */
    static String testRunId(String what) {
        return "t" + what + "-" + LabNames.newRunId();
    }

    static boolean exists(String ns) {
        try {
            return LabCleaner.exists(ns);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code timeout} passes. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for: " + what);
            }
        }
    }

    /**
     * The Send-Q (accept queue maximum) of the listener on {@code addr:port} in {@code ss -Hlnt} output, or -1.
     * A Java listener on an IPv4 address shows as {@code [::ffff:addr]:port} (a dual-stack socket).
     */
    static int sendQ(String ssOutput, String addr, int port) {
        List<String> wanted = List.of(addr + ":" + port, "[::ffff:" + addr + "]:" + port);
        for (String line : ssOutput.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].equals("LISTEN") && wanted.contains(f[3])) {
                return Integer.parseInt(f[2]);
            }
        }
        return -1;
    }

    static List<String> peer(String mode, String addr, int port) {
        return LabProcesses.javaCommand(LabTestPeer.class.getName(), List.of(mode, addr, Integer.toString(port)));
    }
}
