package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.kernel.NetworkNamespace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conlimit lab run} and {@code run --server-netns}: what is refused before anything is created. */
class LabRunCommandTest {
    @TempDir
    Path dir;

    private record Out(int code, String err) {
    }

    private static Out labRun(Optional<String> unavailable, String... args) {
        LabRunCommand cmd = new LabRunCommand(() -> unavailable);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        new CommandLine(cmd).parseArgs(args);
        int code = cmd.call(new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        return new Out(code, e.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withoutRootTheLabRunStopsWithExit2AndSaysWhy() {
        Out o = labRun(Optional.of("the namespace lab needs root: running as uid 1000 (bob)"),
                "--serve", "blocking-pool", "--out", dir.resolve("x").toString(), "--", "--burst", "5");
        assertEquals(ExitCodes.USAGE, o.code());
        assertTrue(o.err().startsWith("conlimit: the namespace lab needs root"), o.err());
    }

    @Test
    void wrongArgumentsAreExit2NamingTheOption() {
        assertTrue(labRun(Optional.empty(), "--serve", "blocking-pool --bind 0.0.0.0", "--", "--burst", "5").err()
                .startsWith("conlimit lab run: --serve: --bind is the lab's to choose"));
        Out target = labRun(Optional.empty(), "--serve", "blocking-pool", "--", "--burst", "5", "--target", "1.2.3.4:80");
        assertEquals(ExitCodes.USAGE, target.code());
        assertTrue(target.err().startsWith("conlimit lab run: --target is set by the lab"), target.err());
        Out sysctl = labRun(Optional.empty(), "--serve", "blocking-pool", "--server-sysctl", "vm.swappiness=1", "--", "--burst", "5");
        assertEquals(ExitCodes.USAGE, sysctl.code());
        assertTrue(sysctl.err().contains("'vm.swappiness' is not a network-namespace setting"), sysctl.err());
    }

    @Test
    void aFolderThatAlreadyHoldsARunIsRefusedBeforeTheLabIsCreated() throws IOException {
        Path used = java.nio.file.Files.createDirectories(dir.resolve("used"));
        java.nio.file.Files.writeString(used.resolve("run.json"), "{}");
        Out o = labRun(Optional.empty(), "--serve", "blocking-pool", "--out", used.toString(), "--", "--burst", "5");
        assertEquals(ExitCodes.USAGE, o.code());
        assertTrue(o.err().startsWith("conlimit lab run: --out " + used + " already holds a run"), o.err());
    }

    @Test
    void serverNetnsContradictsAgentAndNoKernelEvidence() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(ExitCodes.USAGE, cl.execute("run", "--target", "127.0.0.1:9", "--burst", "1", "--server-netns", "x",
                "--agent", "127.0.0.1:7070", "--out", dir.resolve("a").toString()));
        assertEquals(ExitCodes.USAGE, cl.execute("run", "--target", "127.0.0.1:9", "--burst", "1", "--server-netns", "x",
                "--no-kernel-evidence", "--out", dir.resolve("b").toString()));
        assertEquals(ExitCodes.USAGE, cl.execute("run", "--target", "127.0.0.1:9", "--burst", "1", "--server-netns", "a/b",
                "--out", dir.resolve("c").toString()));
    }

    @Test
    void anUnknownOrMalformedNamespaceNameIsRefused() {
        IOException e = assertThrows(IOException.class, () -> NetworkNamespace.existing("conlimit-no-such-ns-42"));
        assertTrue(e.getMessage().startsWith("no network namespace named 'conlimit-no-such-ns-42'"), e.getMessage());
        assertThrows(IOException.class, () -> NetworkNamespace.existing("../etc"));
    }
}
