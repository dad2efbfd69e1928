package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** conlimit run flags -> RunPlan, and bad flags -> exit 2 without any traffic. */
class RunFlagsTest {
    private static List<RunPlan> plans(String... args) {
        CommandLine cl = new CommandLine(new RunCommand());
        cl.parseArgs(args);
        RunCommand cmd = cl.getCommand();
        return cmd.flags().toPlans();
    }

    private static RunPlan plan(String... args) {
        List<RunPlan> p = plans(args);
        assertEquals(1, p.size());
        return p.get(0);
    }

    @Test
    void burstAgainstAnExternalTarget() {
        RunPlan p = plan("--target", "127.0.0.1:8080", "--burst", "500");
        assertEquals(new TargetSpec.External("127.0.0.1", 8080, null, null), p.target());
        assertEquals(List.of(new LoadPhase.Burst(500)), p.phases());
        assertEquals("burst-500", p.name());
        assertEquals(ClientOptions.defaults(), p.client());
    }

    @Test
    void rateRampAndHoldProbe() {
        assertEquals(List.of(new LoadPhase.Rate(500, Duration.ofSeconds(10), true)),
                plan("--target", "localhost:1", "--rate", "500/s", "--duration", "10s", "--poisson").phases());
        assertEquals(List.of(new LoadPhase.Rate(20, Duration.ofMillis(1500), false)),
                plan("--target", "localhost:1", "--rate", "1200/m", "--duration", "1.5s").phases());
        assertEquals(List.of(new LoadPhase.Ramp(100, 5000, Duration.ofSeconds(30), 0)),
                plan("--target", "[::1]:80", "--ramp", "100/s..5000/s", "--duration", "30s").phases());
        assertEquals(List.of(new LoadPhase.Ramp(0, 50, Duration.ofSeconds(5), 5)),
                plan("--target", "[::1]:80", "--ramp", "0..50/s", "--duration", "5s", "--steps", "5").phases());
        assertEquals(List.of(new LoadPhase.HoldProbe(Duration.ofMillis(10), 10_000, 3)),
                plan("--target", "h:1", "--hold-probe").phases());
        assertEquals(List.of(new LoadPhase.HoldProbe(Duration.ofMillis(50), 200, 5)),
                plan("--target", "h:1", "--hold-probe", "--gap", "50ms", "--max-held", "200", "--stop-after", "5").phases());
    }

    @Test
    void clientOptions() {
        ClientOptions c = plan("--target", "10.0.0.1:11211", "--burst", "1", "--probe", "request:version\\r\\n:\\r\\n",
                "--hold", "until-end", "--close", "rst", "--connect-timeout", "1500ms", "--response-timeout", "300ms",
                "--source", "127.0.0.1-127.0.0.8").client();
        Probe.Request r = assertInstanceOf(Probe.Request.class, c.probe());
        assertArrayEquals("version\r\n".getBytes(StandardCharsets.US_ASCII), r.payload());
        assertArrayEquals("\r\n".getBytes(StandardCharsets.US_ASCII), r.delimiter());
        assertEquals(0, r.expectBytes());
        assertNull(c.hold());
        assertTrue(c.holdUntilEnd());
        assertEquals(ClientOptions.CloseMode.RST, c.closeMode());
        assertEquals(Duration.ofMillis(1500), c.connectTimeout());
        assertEquals(Duration.ofMillis(300), c.responseTimeout());
        assertEquals(8, c.sources().size());
        assertEquals("127.0.0.8", c.sources().get(7).getHostAddress());

        Probe.Request n = assertInstanceOf(Probe.Request.class, plan("--target", "h:1", "--burst", "1", "--probe", "request:PING\\r\\n:4").client().probe());
        assertEquals(4, n.expectBytes());
        assertEquals(new Probe.Http("/health", "web.local"), plan("--target", "web.local:80", "--burst", "1", "--probe", "http:/health").client().probe());
        assertEquals(new Probe.Http("/", "h"), plan("--target", "h:80", "--burst", "1", "--probe", "http").client().probe());
        assertEquals(new Probe.Banner(), plan("--target", "h:22", "--burst", "1", "--probe", "banner").client().probe());
        assertEquals(Duration.ofSeconds(2), plan("--target", "h:22", "--burst", "1", "--hold", "2s").client().hold());
    }

    @Test
    void withoutTargetTheLoadGoesToTheEmbeddedBlockingPool() {
        RunPlan p = plan("--burst", "50");
        TargetSpec.Embedded e = assertInstanceOf(TargetSpec.Embedded.class, p.target());
        assertEquals(ServerKind.BLOCKING_POOL, e.server().kind());
        assertEquals(2, e.server().workers());
        assertEquals(8, e.server().backlog().value());
        assertInstanceOf(HoldSpec.Forever.class, e.server().hold());
        assertEquals("127.0.0.1", e.server().bind());
    }

    @Test
    void noFlagsIsTheTwoPartDemonstration() {
        List<RunPlan> demo = plans();
        assertEquals(2, demo.size());
        assertInstanceOf(LoadPhase.HoldProbe.class, demo.get(0).phases().get(0));
        // the burst run occupies the workers, waits until they have served, then bursts against the accept queue alone
        assertEquals(List.of(new LoadPhase.Burst(Demo.OCCUPY), new LoadPhase.Settle(Duration.ofSeconds(2)),
                new LoadPhase.Burst(RunFlags.DEMO_BURST)), demo.get(1).phases());
        for (RunPlan p : demo) {
            assertInstanceOf(TargetSpec.Embedded.class, p.target());
        }
        // Bounded: the probe stops after 2 failures of 2 s, the burst times out at 3.5 s.
        assertTrue(demo.get(1).client().connectTimeout().compareTo(Duration.ofSeconds(5)) < 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--burst abc",
            "--burst 0",
            "--burst 10 --rate 5/s --duration 1s",
            "--rate 5/s",
            "--rate fast --duration 1s",
            "--rate 5/s --duration soon",
            "--ramp 5/s --duration 1s",
            "--target nohostport --burst 1",
            "--target h:99999 --burst 1",
            "--target ::1:80 --burst 1",
            "--target 127.0.0.1:1",
            "--probe nope --burst 1",
            "--probe http:health --burst 1",
            "--close maybe --burst 1",
            "--hold forever --burst 1",
            "--hold-probe --steps 3",
            "--burst 1 --poisson",
            "--burst 1 --source 127.0.0.9-127.0.0.1",
            "--burst 1 --source not-an-ip",
            "--burst 1 --name a/b",
            "--burst 1 --event-loops 0",
            "--probe banner",
            "--no-such-flag"})
    void badFlagsExitWithTwo(String line) {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Main.execute(("run " + line).split(" "));
        } finally {
            System.setErr(saved);
        }
        assertEquals(ExitCodes.USAGE, code, line + " -> " + err);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("conlimit"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void flagParsersNameTheFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FlagParsers.rate("--rate", "x/s"));
        assertTrue(e.getMessage().startsWith("--rate"));
        assertEquals(500.0, FlagParsers.rate("--rate", "500/s"));
        assertArrayEquals(new double[] {100, 5000}, FlagParsers.ramp("100/s..5000/s"));
    }

    @Test
    void protocolProbes() {
        assertEquals(new Probe.Mysql(), plan("--target", "db:3306", "--burst", "1", "--probe", "mysql").client().probe());
        assertEquals(new Probe.Memcached(), plan("--target", "h:11211", "--burst", "1", "--probe", "memcached").client().probe());
        assertEquals(new Probe.Redis(), plan("--target", "h:6379", "--burst", "1", "--probe", "redis").client().probe());
        assertEquals(new Probe.Smtp(), plan("--target", "h:25", "--burst", "1", "--probe", "smtp").client().probe());
        assertEquals(new Probe.Ftp(), plan("--target", "h:21", "--burst", "1", "--probe", "ftp").client().probe());
        assertEquals(new Probe.Postgres("conlimit", "conlimit"), plan("--target", "h:5432", "--burst", "1", "--probe", "postgres").client().probe());
        assertEquals(new Probe.Postgres("app", "app"), plan("--target", "h:5432", "--burst", "1", "--probe", "postgres:app").client().probe());
        assertEquals(new Probe.Postgres("app", "sales"), plan("--target", "h:5432", "--burst", "1", "--probe", "postgres:app/sales").client().probe());
        assertEquals("postgres:app/sales", new Probe.Postgres("app", "sales").describe());
        IllegalArgumentException typo = assertThrows(IllegalArgumentException.class,
                () -> plan("--target", "h:3306", "--burst", "1", "--probe", "mysq"));
        assertTrue(typo.getMessage().startsWith("--probe: 'mysq' is not a probe (did you mean 'mysql'?): use connect,"), typo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plan("--target", "h:5432", "--burst", "1", "--probe", "postgres:/db"));
    }

    @Test
    void requestPatternsAndHexEscapes() {
        Probe.Request r = assertInstanceOf(Probe.Request.class, plan("--target", "h:11211", "--burst", "1",
                "--probe", "request:version\\r\\n:\\r\\n", "--served", "^VERSION", "--refused", "^(SERVER_)?ERROR").client().probe());
        assertEquals("^VERSION", r.served());
        assertEquals("^(SERVER_)?ERROR", r.refused());
        assertEquals("request:version\\r\\n:\\r\\n served=^VERSION refused=^(SERVER_)?ERROR", r.describe());
        Probe.Request hex = assertInstanceOf(Probe.Request.class, plan("--target", "h:1", "--burst", "1",
                "--probe", "request:\\x00\\x01ab\\xFF:\\x0d\\x0a").client().probe());
        assertArrayEquals(new byte[] {0, 1, 'a', 'b', (byte) 0xff}, hex.payload());
        assertArrayEquals(new byte[] {'\r', '\n'}, hex.delimiter());
        assertNull(hex.served());
        assertEquals("request:\\x00\\x01ab\\xff:\\r\\n", hex.describe());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> FlagParsers.unescape("a\\xg0"));
        assertTrue(bad.getMessage().contains("\\x needs two hex digits"), bad.getMessage());
        IllegalArgumentException regex = assertThrows(IllegalArgumentException.class, () -> plan("--target", "h:1", "--burst", "1",
                "--probe", "request:x:1", "--refused", "ERROR("));
        assertTrue(regex.getMessage().startsWith("--refused: 'ERROR(' is not a regex"), regex.getMessage());
        IllegalArgumentException notRequest = assertThrows(IllegalArgumentException.class, () -> plan("--target", "h:1", "--burst", "1",
                "--probe", "redis", "--refused", "ERR"));
        assertTrue(notRequest.getMessage().startsWith("--served and --refused apply to --probe request:... only"), notRequest.getMessage());
        assertThrows(IllegalArgumentException.class, () -> plan("--target", "h:1", "--burst", "1", "--served", "x"));
    }
}
