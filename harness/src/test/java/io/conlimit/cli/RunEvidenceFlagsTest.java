package io.conlimit.cli;

import io.conlimit.run.EvidenceObserver;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run --agent / --agent-token / --no-kernel-evidence}: the kernel evidence observer comes first. */
class RunEvidenceFlagsTest {
    private static RunCommand parse(String... args) {
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void evidenceIsTheFirstObserverByDefaultAndWithAnAgent() {
        assertInstanceOf(EvidenceObserver.class, parse("--burst", "1").observers(null).get(0));
        assertInstanceOf(EvidenceObserver.class,
                parse("--burst", "1", "--agent", "10.0.0.5:7070", "--agent-token", "t").observers(null).get(0));
    }

    @Test
    void noKernelEvidenceSkipsIt() {
        assertTrue(parse("--burst", "1", "--no-kernel-evidence").observers(null).isEmpty());
    }

    private static String usageError(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = parse(args).call(config -> {
            throw new AssertionError("nothing may start on a usage error");
        }, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(ExitCodes.USAGE, code);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void contradictionsAndMalformedAgentsAreUsageErrorsNamingTheFlag() {
        assertTrue(usageError("--burst", "1", "--agent", "nohost").contains("--agent"));
        assertTrue(usageError("--burst", "1", "--agent-token", "t").contains("--agent-token needs --agent"));
        assertTrue(usageError("--burst", "1", "--no-kernel-evidence", "--agent", "h:1").contains("--no-kernel-evidence"));
    }
}
