package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.run.EmbeddedTargetStarter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunCommandTest {
    @Test
    void anEmbeddedTargetThatCannotStartMeansTheRunCouldNotComplete() {
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs("--burst", "1");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        EmbeddedTargetStarter failing = config -> {
            throw new java.io.IOException("no port for " + config.kind());
        };
        int code = cmd.call(failing, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(ExitCodes.RUN_INCOMPLETE, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("could not start the embedded target: no port for blocking-pool"), err.toString());
    }

    @Test
    void helpDescribesTheDemonstrationAndIsRegistered() {
        String usage = Main.commandLine().getSubcommands().get("run").getUsageMessage();
        assertTrue(usage.contains("W + B + 1 = 11"), usage);
        assertTrue(usage.contains("--hold-probe"), usage);
    }
}
