package io.conlimit.run;

import io.conlimit.cli.Main;
import io.conlimit.kernel.Commands;
import io.conlimit.lab.LabNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Load safety (issue 17, item 5), tested in a network namespace that has only loopback (its default route points
 * at lo), so that nothing the runs send can leave this machine: a target not on this machine gets at most 100
 * connections without {@code --i-own-the-target}; a bigger load is refused (exit 2) saying what would have been
 * sent to whom; with the flag it runs and says so.
 */
@Timeout(180)
class LoadConsentNamespaceTest {
    @TempDir
    Path dir;

    @Test
    void thisMachinesAddressesNeedNoConsent() {
        assertTrue(LoadConsent.onThisMachine(InetAddress.getLoopbackAddress()));
    }

    @Test
    void aTargetNotOnThisMachineNeedsConsentAboveASmallLoad() throws Exception {
        assumeTrue(LabNetwork.unavailableReason().isEmpty(), () -> "needs root and iproute2: " + LabNetwork.unavailableReason().orElse(""));
        String ns = "conlimit-consent-" + ProcessHandle.current().pid();
        Commands.run(List.of("ip", "netns", "add", ns), 10);
        try {
            Commands.run(List.of("ip", "-n", ns, "link", "set", "lo", "up"), 10);
            Commands.run(List.of("ip", "-n", ns, "route", "add", "default", "dev", "lo"), 10); // nothing leaves: lo only
            String target = "192.0.2.1:80"; // TEST-NET-1, routed to lo in the namespace

            Child big = run(ns, "--target", target, "--burst", "500");
            assertEquals(2, big.code, big.out);
            assertTrue(big.out.contains("refused: the target 192.0.2.1 is not on this machine, and this run would send it up to "
                    + "500 connections (burst of 500) to 192.0.2.1:80, more than the 100 sent without consent. If you own it "
                    + "or may load it, add --i-own-the-target (or i-own-the-target: true under a scenario file's target"), big.out);
            assertFalse(big.out.contains("phase 0"), "nothing was sent: " + big.out);

            Child small = run(ns, "--target", target, "--burst", "100", "--connect-timeout", "300ms");
            assertEquals(0, small.code, small.out);
            assertTrue(small.out.contains("phase 0 at ") && !small.out.contains("refused: the target"), small.out);

            Child consented = run(ns, "--target", target, "--burst", "500", "--connect-timeout", "300ms", "--i-own-the-target");
            assertEquals(0, consented.code, consented.out);
            assertTrue(consented.out.contains("load consent (--i-own-the-target): sending up to 500 connections (burst of 500) "
                    + "to 192.0.2.1:80, a target not on this machine"), consented.out);
            assertTrue(consented.out.contains("phase 0 at "), consented.out);

            Path file = java.nio.file.Files.writeString(dir.resolve("consented.yaml"),
                    "target: {host: 192.0.2.1, port: 80, i-own-the-target: true}\nclient: {connect-timeout: 300ms}\nload:\n  - burst: 500\n");
            Child fromFile = run(ns, file.toString());
            assertEquals(0, fromFile.code, fromFile.out);
            assertTrue(fromFile.out.contains("load consent (target.i-own-the-target in the scenario file): sending up to 500"), fromFile.out);

            Child rate = run(ns, "--target", target, "--rate", "60/s", "--duration", "2s");
            assertEquals(2, rate.code, rate.out);
            assertTrue(rate.out.contains("up to 120 connections (rate 60/s"), rate.out);
        } finally {
            Commands.run(List.of("ip", "netns", "del", ns), 10);
        }
    }

    private record Child(int code, String out) {
    }

    private Child run(String ns, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--no-report", "--results", dir.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        return new Child(p.exitValue(), out);
    }
}
