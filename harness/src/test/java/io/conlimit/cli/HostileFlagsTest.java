package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 2: configuration errors a careless or hostile user makes are exit 2, in plain words (no Java
 * class name, no stack trace), refused before anything starts: no results folder is left behind.
 */
class HostileFlagsTest {
    @TempDir
    Path dir;

    private InProcessCli.Result refused(String expected, String... args) throws Exception {
        Path results = dir.resolve("results");
        String[] all = Stream.concat(Stream.of(args), Stream.of("--results", results.toString(), "--no-report")).toArray(String[]::new);
        if (!args[0].equals("run")) {
            all = args;
        }
        InProcessCli.Result r = InProcessCli.run(all);
        assertEquals(ExitCodes.USAGE, r.code(), String.join(" ", args) + "\n" + r.all());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in:\n" + r.err());
        assertNull(r.leak(), r.all());
        if (Files.exists(results)) {
            try (Stream<Path> s = Files.list(results)) {
                assertEquals(0, s.count(), "no results folder is left behind");
            }
        }
        return r;
    }

    @Test
    void anOutThatIsNotAFolder() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        refused("--out " + file + ": exists and is not a folder", "run", "--burst", "1", "--out", file.toString());
        refused("cannot create the results folder: " + file + "/sub: ", "run", "--burst", "1", "--out", file.resolve("sub").toString());
        InProcessCli.Result r = refused("--out /dev/null: exists and is not a folder", "run", "--burst", "1", "--out", "/dev/null");
        assertFalse(r.out().contains("serving"), "refused before the embedded target starts: " + r.out());
    }

    @Test
    void aNamespaceThatDoesNotExist() throws Exception {
        refused("--server-netns no-such-ns-17: no network namespace named 'no-such-ns-17'",
                "run", "--target", "127.0.0.1:9", "--burst", "1", "--server-netns", "no-such-ns-17");
    }

    @Test
    void aBurstThisMachineCannotMakeIsRefusedWithTheLimit() throws Exception {
        InProcessCli.Result r = refused("a burst of 2,147,483,647 opens all its sockets at once", "run", "--burst", "2147483647");
        assertTrue(r.err().contains("(ulimit -n)") && r.err().contains("at most "), r.err());
        assertFalse(r.out().contains("started"), "no load started: " + r.out());
        assertFalse(r.out().contains("serving"), "refused before the embedded target starts: " + r.out());
    }

    @Test
    void unboundedOrNegativeValues() throws Exception {
        refused("is longer than 168h (a week)", "run", "--rate", "10/s", "--duration", "1000000000000h");
        refused("a byte count must be 1 or more", "run", "--burst", "1", "--probe", "request:GET:-1");
        refused("a byte count must be at most", "run", "--burst", "1", "--probe", "request:GET:99999999999");
        refused("--burst needs at least 1 connection", "run", "--burst", "-5");
        refused("is above the highest rate conlimit sends, 1,000,000/s", "run", "--rate", "1e15/s", "--duration", "1s");
        refused("connections in one phase (rate x duration) is more than 100,000,000", "run", "--rate", "1000000/s", "--duration", "168h");
        refused("--workers 100000000 is more than 10000", "serve", "blocking-pool", "--workers", "100000000");
        refused("backlog -5 is below 1", "serve", "blocking-pool", "--backlog", "-5");
        refused("--queue must be 0..1000000", "serve", "thread-pool", "--queue", "2000000000");
        refused("is longer than 168h", "serve", "blocking-pool", "--hold", "200000h");
    }

    @Test
    void nonNumericSysctlsAreRefusedBeforeTheLab() throws Exception {
        refused("lab.server.sysctls.net.core.somaxconn: 'abc' is not a number",
                "lab", "run", "--server-sysctl", "net.core.somaxconn=abc", "--serve", "blocking-pool", "--", "--burst", "1");
        refused("lab.client.sysctls.net.ipv4.tcp_fin_timeout: 'abc' is not a number (this kernel's net.ipv4.tcp_fin_timeout is '",
                "lab", "run", "--client-sysctl", "net.ipv4.tcp_fin_timeout=abc", "--serve", "blocking-pool", "--", "--burst", "1");
    }
}
