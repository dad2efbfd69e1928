package io.conlimit.lab;

import io.conlimit.cli.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static io.conlimit.lab.LabTesting.CHILD_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Leftovers of killed runs, removed by LabCleaner / {@code conlimit lab clean}; needs root. */
class LabCleanerTest {
    @BeforeEach
    void needsRoot() {
        LabTesting.assumeLabAvailable();
    }

    private static LabProcess holder(String runId) throws Exception {
        return holder(runId, true);
    }

    private static LabProcess holder(String runId, boolean watchdog) throws Exception {
        LabProcess p = LabProcess.start("holder", LabProcesses.javaCommand(List.of("-D" + LabWatchdog.PROPERTY + "=" + watchdog),
                LabTestHolder.class.getName(), List.of(runId)), null);
        p.awaitLine(l -> l.startsWith("lab-ready "), CHILD_TIMEOUT);
        return p;
    }

    @Test
    void aLiveLabIsKeptAKilledRunsLeftoversAreRemovedWithTheirProcesses() throws Exception {
        String runId = LabTesting.testRunId("leak");
        String srv = LabNames.serverNamespace(runId);
        String cli = LabNames.clientNamespace(runId);
        try (LabProcess holder = holder(runId, false)) { // no watchdog: lab clean's own removal is tested here
            LabCleaner.Result live = LabCleaner.clean(false);
            assertTrue(live.kept().stream().anyMatch(e -> e.namespace().equals(srv)
                    && e.detail().contains("owner pid " + holder.pid() + " is running")), live.toString());
            assertTrue(LabTesting.exists(srv) && LabTesting.exists(cli), "a running lab is not touched");

            ProcessHandle.of(holder.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(holder.waitFor(CHILD_TIMEOUT) >= 0);
        }
        assertTrue(LabTesting.exists(srv) && LabTesting.exists(cli), "a SIGKILLed run leaves its lab behind");
        // an orphaned server process left in the leaked lab, as a killed run's target server would be
        try (LabProcess stray = LabProcess.start("stray", List.of("ip", "netns", "exec", srv, "sleep", "120"), null)) {
            LabTesting.await("the stray process is in " + srv, CHILD_TIMEOUT, () -> {
                try {
                    return !io.conlimit.kernel.Commands.run(List.of("ip", "netns", "pids", srv), 10).isBlank();
                } catch (java.io.IOException e) {
                    return false;
                }
            });

            StringWriter out = new StringWriter();
            CommandLine cl = Main.commandLine();
            cl.setOut(new PrintWriter(out));
            assertEquals(0, cl.execute("lab", "clean"), out.toString());
            assertTrue(out.toString().contains("removed " + srv + " (owner pid "), out.toString());
            assertTrue(out.toString().contains("is gone; stopped 1 process(es))"), out.toString());
            assertTrue(out.toString().contains("removed " + cli + " (owner pid "), out.toString());
            assertFalse(LabTesting.exists(srv));
            assertFalse(LabTesting.exists(cli));
            assertTrue(stray.waitFor(CHILD_TIMEOUT) >= 0, "the stray process was stopped");
        }
    }

    @Test
    void sigtermRunsTheShutdownHookWhichRemovesTheLab() throws Exception {
        String runId = LabTesting.testRunId("term");
        List<String> output;
        try (LabProcess holder = holder(runId)) {
            assertTrue(LabTesting.exists(LabNames.serverNamespace(runId)));
            // SIGTERM (like Ctrl-C's SIGINT) through ProcessHandle: Process.destroy() would also close the
            // child's stdin, letting its main thread close the lab instead of the shutdown hook
            ProcessHandle.of(holder.pid()).orElseThrow().destroy();
            assertTrue(holder.waitFor(CHILD_TIMEOUT) >= 0);
            output = holder.lines();
        }
        assertFalse(LabTesting.exists(LabNames.serverNamespace(runId)), "the shutdown hook removed the server namespace; "
                + "the holder printed " + output);
        assertFalse(LabTesting.exists(LabNames.clientNamespace(runId)), "the shutdown hook removed the client namespace; the holder printed " + output);
    }

    /** Issue 17 item 4: a SIGKILLed owner's lab is removed by its watchdog, with the processes left in it. */
    @Test
    void aKilledOwnersLabIsRemovedByItsWatchdog() throws Exception {
        String runId = LabTesting.testRunId("dog");
        String srv = LabNames.serverNamespace(runId);
        String cli = LabNames.clientNamespace(runId);
        try (LabProcess holder = holder(runId, true);
             LabProcess load = LabProcess.start("load", List.of("ip", "netns", "exec", cli, "sleep", "120"), null)) {
            assertTrue(java.nio.file.Files.exists(LabWatchdog.ownerFile(runId)), "the owner is on record");
            LabTesting.await("the stand-in for the client's load is in " + cli, CHILD_TIMEOUT, () -> {
                try {
                    return !io.conlimit.kernel.Commands.run(List.of("ip", "netns", "pids", cli), 10).isBlank();
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            long killed = System.nanoTime();
            ProcessHandle.of(holder.pid()).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hook runs
            // the watchdog polls twice a second: gone within 0.5 s plus the removal; 10 s is the deadline
            LabTesting.await("the watchdog removed " + srv + " and " + cli, java.time.Duration.ofSeconds(10),
                    () -> !LabTesting.exists(srv) && !LabTesting.exists(cli));
            System.out.println("lab watchdog: removed " + (System.nanoTime() - killed) / 1_000_000 + " ms after the owner's SIGKILL");
            assertTrue(load.waitFor(CHILD_TIMEOUT) >= 0, "the process in the client namespace was killed");
            LabTesting.await("the owner file is gone", java.time.Duration.ofSeconds(5),
                    () -> !java.nio.file.Files.exists(LabWatchdog.ownerFile(runId)));
        }
    }

    /** Issue 17 item 4: lab clean keeps a lab whose namespaces exist before its veth carries the owner. */
    @Test
    void aLabBeingSetUpIsKept() throws Exception {
        String runId = LabTesting.testRunId("setup");
        String srv = LabNames.serverNamespace(runId);
        LabWatchdog.recordOwner(runId); // this JVM: what LabNetwork.create records before any namespace
        try {
            io.conlimit.kernel.Commands.run(List.of("ip", "netns", "add", srv), 10); // mid-setup: no veth, no alias
            LabCleaner.Result r = LabCleaner.clean(false);
            assertTrue(r.kept().stream().anyMatch(e -> e.namespace().equals(srv)
                    && e.detail().contains("owner pid " + ProcessHandle.current().pid() + " is running")), r.toString());
            assertTrue(LabTesting.exists(srv), "a lab being set up is not removed");
        } finally {
            LabCleaner.deleteNamespace(srv);
            LabWatchdog.forget(runId);
        }
    }
}
