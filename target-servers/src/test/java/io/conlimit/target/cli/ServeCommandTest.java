package io.conlimit.target.cli;

import io.conlimit.target.TargetServer;
import io.conlimit.target.servers.Addresses;
import io.conlimit.target.servers.StartLine;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static io.conlimit.target.Probes.assertNoServerThreads;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** serve's output and exit codes, run in-process through TargetMain's command line. */
class ServeCommandTest {
    /** The start line's exact form: keys in this order, one space apart. */
    private static final Pattern START_LINE = Pattern.compile("serving kind=[a-z-]+ address=\\S+:\\d+ workers=\\d+ queue=\\d+ "
            + "backlog\\.requested=\\S+ backlog\\.passed=-?\\d+ backlog\\.effective=(\\d+|unknown) backlog\\.source=(ss|unavailable) "
            + "somaxconn=(\\d+|unknown) hold=\\S+ stats=\\S+");

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private CommandLine cli(ServeCommand serve) {
        CommandLine cl = TargetMain.commandLine(serve);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl;
    }

    private int run(String... args) {
        return cli(new ServeCommand(false)).execute(args);
    }

    @Test
    void startPrintsTheStartLineServesAndStopsWithTheFinalCounters() throws Exception {
        ServeCommand serve = new ServeCommand(false);
        CommandLine cl = cli(serve);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = ex.submit(() -> cl.execute("serve", "blocking-pool", "--workers", "2", "--backlog", "4",
                    "--hold", "exp:250ms", "--stats-port", "0"));
            TargetServer server = serve.awaitStarted(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("not started: " + err));
            String[] lines = out.toString().split("\n");
            assertTrue(START_LINE.matcher(lines[0]).matches(), lines[0]);
            Map<String, String> line = StartLine.parse(lines[0]);
            assertEquals("blocking-pool", line.get("kind"));
            assertEquals(Addresses.format(server.address()), line.get("address"));
            assertEquals("2", line.get("workers"));
            assertEquals("0", line.get("queue"));
            assertEquals("4", line.get("backlog.requested"));
            assertEquals("4", line.get("backlog.passed"));
            assertEquals(Integer.toString(server.backlog().effective()), line.get("backlog.effective"));
            assertEquals("exp:250ms", line.get("hold"));
            assertEquals(Addresses.format(server.statsAddress().orElseThrow()), line.get("stats"));
            assertEquals(lines[0], server.startLine());
            assertEquals(2, lines.length, "no warning about a plain backlog 4, one about loopback: " + out);
            assertTrue(lines[1].startsWith("warning: listening on " + line.get("address") + " only (loopback): no other machine"
                    + " can connect; for a client on another machine use --bind 0.0.0.0"), lines[1]);

            serve.stop();
            assertEquals(0, exit.get(30, TimeUnit.SECONDS));
            List<String> all = List.of(out.toString().split("\n"));
            assertEquals(3, all.size(), out.toString());
            assertEquals("stopped kind=blocking-pool address=" + line.get("address")
                    + " accepted=0 in_service=0 served=0 closed=0 queued=0", all.get(2));
            assertEquals("", err.toString());
        } finally {
            serve.stop();
            ex.shutdownNow();
            ex.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertNoServerThreads();
    }

    @Test
    void warningsFollowTheStartLine() throws Exception {
        ServeCommand serve = new ServeCommand(false);
        CommandLine cl = cli(serve);
        ExecutorService ex = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = ex.submit(() -> cl.execute("serve", "event-loop", "--backlog", "default", "--workers", "1",
                    "--accept-delay", "1s"));
            serve.awaitStarted(Duration.ofSeconds(30)).orElseThrow(() -> new AssertionError("not started: " + err));
            String[] lines = out.toString().split("\n");
            assertTrue(START_LINE.matcher(lines[0]).matches(), lines[0]);
            assertEquals("50", StartLine.parse(lines[0]).get("backlog.passed"));
            assertEquals("warning: --backlog default: Java's default backlog 50 (ServerSocket replaces a backlog below 1 by 50)", lines[1]);
            assertEquals("warning: --accept-delay applies to sleepy-accept only: event-loop ignores it", lines[2]);
            serve.stop();
            assertEquals(0, exit.get(30, TimeUnit.SECONDS));
        } finally {
            serve.stop();
            ex.shutdownNow();
            ex.awaitTermination(10, TimeUnit.SECONDS);
        }
        assertNoServerThreads();
    }

    @Test
    void anUnknownOptionExits2() {
        assertEquals(2, run("serve", "blocking-pool", "--nope"));
        assertTrue(err.toString().startsWith("conlimit-target: Unknown option: '--nope'"), err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void anUnknownKindExits2() {
        assertEquals(2, run("serve", "prefork"));
        assertTrue(err.toString().contains("unknown server kind 'prefork': expected one of blocking-pool, thread-pool, sleepy-accept, event-loop"), err.toString());
    }

    @Test
    void aBadDurationExits2NamingTheOption() {
        assertEquals(2, run("serve", "sleepy-accept", "--accept-delay", "soon"));
        assertTrue(err.toString().contains("--accept-delay") && err.toString().contains("'soon' is not a duration"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("serve", "blocking-pool", "--hold", "exp:5x"));
        assertTrue(err.toString().contains("--hold") && err.toString().contains("'5x' is not a duration"), err.toString());
    }

    @Test
    void aBadBacklogExits2() {
        assertEquals(2, run("serve", "blocking-pool", "--backlog", "lots"));
        assertTrue(err.toString().contains("'lots' is not a backlog: use a number, 'max' or 'default'"), err.toString());
    }

    @Test
    void anOptionForAnotherKindExits2() {
        assertEquals(2, run("serve", "blocking-pool", "--queue", "3"));
        assertTrue(err.toString().contains("--queue applies to thread-pool only, not blocking-pool"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("serve", "blocking-pool", "--echo", "--respond", "x"));
        assertTrue(err.toString().contains("--echo and --respond exclude each other"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(2, run("serve", "blocking-pool", "--stats-port", "-5"));
        assertTrue(err.toString().contains("--stats-port must be 0..65535"), err.toString());
    }

    @Test
    void aPortInUseExits2WithItsMessage() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertEquals(2, run("serve", "thread-pool", "--port", Integer.toString(port)));
            assertEquals("conlimit-target: port " + port + " on 127.0.0.1 is already in use\n", err.toString());
            assertEquals("", out.toString());
        }
        assertNoServerThreads();
    }

    @Test
    void helpAndVersionExit0() {
        assertEquals(0, run("serve", "--help"));
        assertTrue(out.toString().contains("--accept-delay=D"), out.toString());
        assertTrue(out.toString().contains("--hold=D|exp:D|forever"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, run("--version"));
        assertTrue(out.toString().startsWith("conlimit-target "), out.toString());
    }

    @Test
    void executeReturnsTheExitCodeWithoutExiting() {
        assertEquals(2, TargetMain.execute("serve"));
        assertEquals(2, TargetMain.execute("serve", "event-loop", "--port", "70000"));
    }
}
