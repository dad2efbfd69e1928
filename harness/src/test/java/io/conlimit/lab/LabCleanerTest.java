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
        LabProcess p = LabProcess.start("holder", LabProcesses.javaCommand(LabTestHolder.class.getName(), List.of(runId)), null);
        p.awaitLine(l -> l.startsWith("lab-ready "), CHILD_TIMEOUT);
        return p;
    }

    @Test
    void aLiveLabIsKeptAKilledRunsLeftoversAreRemovedWithTheirProcesses() throws Exception {
        String runId = LabTesting.testRunId("leak");
        String srv = LabNames.serverNamespace(runId);
        String cli = LabNames.clientNamespace(runId);
        try (LabProcess holder = holder(runId)) {
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
}
