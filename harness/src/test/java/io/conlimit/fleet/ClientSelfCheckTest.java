package io.conlimit.fleet;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientSelfCheckTest {
    private static final String TCP_HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";

    private static Path fakeProc(Path dir, long openFiles, String portRange, int timeWait) throws IOException {
        Files.createDirectories(dir.resolve("self"));
        Files.writeString(dir.resolve("self/limits"), "Limit                     Soft Limit           Hard Limit           Units\n"
                + "Max open files            " + openFiles + "                20000                files\n");
        Files.createDirectories(dir.resolve("sys/net/ipv4"));
        Files.writeString(dir.resolve("sys/net/ipv4/ip_local_port_range"), portRange + "\n");
        Files.createDirectories(dir.resolve("net"));
        StringBuilder tcp = new StringBuilder(TCP_HEADER);
        for (int i = 0; i < timeWait; i++) {
            tcp.append("   ").append(i).append(": 0100007F:1F90 0100007F:A000 06 00000000:00000000 03:00001000 00000000     0        0 0 3\n");
        }
        tcp.append("   9: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n");
        Files.writeString(dir.resolve("net/tcp"), tcp.toString());
        return dir;
    }

    @Test
    void readsTheFacts(@TempDir Path tmp) throws IOException {
        ClientSelfCheck c = new ClientSelfCheck(fakeProc(tmp, 1024, "32768\t60999", 3));
        assertEquals(1024, c.openFileLimit());
        assertEquals(32768, c.portRange()[0]);
        assertEquals(60999, c.portRange()[1]);
        assertEquals(3, c.timeWaitCount(), "tcp6 missing counts as none");
    }

    @Test
    void warnsWhenTheClientCannotHoldThePlan(@TempDir Path tmp) throws IOException {
        ClientSelfCheck c = new ClientSelfCheck(fakeProc(tmp, 1024, "40000 40999", 0));
        ClientOptions fin = ClientOptions.defaults();
        assertTrue(c.warnings(fin, List.of(new LoadPhase.Burst(500)), false).isEmpty());
        List<String> w = c.warnings(fin, List.of(new LoadPhase.Burst(5000)), false);
        assertTrue(w.stream().anyMatch(s -> s.contains("ulimit -n") && s.contains("client-limited")), w.toString());
        assertTrue(w.stream().anyMatch(s -> s.contains("ephemeral ports") && s.contains("--source")), w.toString());
        List<String> embedded = c.warnings(fin, List.of(new LoadPhase.Burst(400)), true);
        assertTrue(embedded.isEmpty(), "400 x 2 + 100 <= 1024: " + embedded);
        assertEquals(1, c.warnings(fin, List.of(new LoadPhase.Burst(480)), true).size(), "480 x 2 + 100 > 1024");
        // 2,000 FIN closes within TIME_WAIT against 1,000 ports
        List<String> tw = c.warnings(fin, List.of(new LoadPhase.Rate(200, Duration.ofSeconds(10), false)), false);
        assertTrue(tw.stream().anyMatch(s -> s.contains("TIME_WAIT") && s.contains("--close rst")), tw.toString());
        ClientOptions rst = new ClientOptions(new Probe.Connect(), Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ZERO,
                ClientOptions.CloseMode.RST, List.of());
        assertTrue(c.warnings(rst, List.of(new LoadPhase.Rate(200, Duration.ofSeconds(10), false)), false).isEmpty());
    }

    @Test
    void connectionsAtOnce() {
        ClientOptions d = ClientOptions.defaults(); // connect probe, 3 s connect timeout, hold 0
        assertEquals(1000, ClientSelfCheck.connectionsAtOnce(d, List.of(new LoadPhase.Burst(1000))));
        assertEquals(1500, ClientSelfCheck.connectionsAtOnce(d, List.of(new LoadPhase.Rate(500, Duration.ofSeconds(10), false))));
        ClientOptions held = new ClientOptions(new Probe.Connect(), Duration.ofSeconds(3), Duration.ofSeconds(2), null,
                ClientOptions.CloseMode.FIN, List.of());
        assertEquals(5000 + 100, ClientSelfCheck.connectionsAtOnce(held,
                List.of(new LoadPhase.HoldProbe(Duration.ofMillis(1), 100, 1), new LoadPhase.Rate(500, Duration.ofSeconds(10), false))));
    }

    @Test
    void readsThisMachine() {
        ClientSelfCheck c = new ClientSelfCheck();
        assertTrue(c.openFileLimit() > 0);
        assertTrue(c.portRange()[1] > c.portRange()[0]);
        assertTrue(c.timeWaitCount() >= 0);
    }
}
