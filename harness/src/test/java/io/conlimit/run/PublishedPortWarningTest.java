package io.conlimit.run;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import io.conlimit.results.ResultsFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Before the load, an external target is checked for being a port published by Docker (whose proxy would hide the
 * container's accept queue): the warning is printed and recorded in run.json inputs and summary.json as
 * "warnings". The check itself (ss -ltnp showing docker-proxy) is tested against a real container in
 * DockerSomaxconnTest and DockerAbTest; here a fake check stands in for it, and the real one finds nothing to say
 * about a plain listener on loopback.
 */
@Timeout(120)
class PublishedPortWarningTest {
    @TempDir
    Path dir;

    private record Ran(int code, ResultsFolder folder, String err) {
    }

    private Ran run(ServerSocket listener, String name, RunExecutorCustomizer customize) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Path folder = dir.resolve(name);
        RunSettings s = new RunSettings(dir, folder, 1, 1_000_000, 1000, false, List.of(), o, e, false);
        ClientOptions client = new ClientOptions(new Probe.Connect(), Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ZERO, ClientOptions.CloseMode.FIN, List.of());
        RunPlan plan = new RunPlan(name, new TargetSpec.External("127.0.0.1", listener.getLocalPort(), null, null), client,
                List.of(new LoadPhase.Burst(3)));
        int code = customize.apply(new RunExecutor(EmbeddedTargetStarter.standard(), s)).execute(plan);
        return new Ran(code, ResultsFolder.load(folder), err.toString(StandardCharsets.UTF_8));
    }

    private interface RunExecutorCustomizer {
        RunExecutor apply(RunExecutor x);
    }

    private static List<String> texts(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }

    @Test
    void aPublishedPortIsWarnedAboutAndRecorded() throws Exception {
        List<String> asked = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Ran r = run(listener, "published", x -> x.withPortCheck((host, port) -> {
                asked.add(host + ":" + port);
                return Optional.of("target " + host + ":" + port + " is a port published by Docker: test");
            }));
            assertEquals(0, r.code(), r.err());
            String w = "target 127.0.0.1:" + listener.getLocalPort() + " is a port published by Docker: test";
            assertEquals(List.of("127.0.0.1:" + listener.getLocalPort()), asked);
            assertTrue(r.err().contains("conlimit run: WARNING: " + w), r.err());
            assertEquals(List.of(w), texts(r.folder().run().path("inputs").path("warnings")));
            assertEquals(List.of(w), texts(r.folder().requireSummary().path("warnings")));
        }
    }

    @Test
    void aPlainListenerOnLoopbackGivesNoWarning() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Ran r = run(listener, "plain", x -> x);
            assertEquals(0, r.code(), r.err());
            assertEquals(List.of(), texts(r.folder().run().path("inputs").path("warnings")));
            assertTrue(r.folder().requireSummary().path("warnings").isMissingNode(), "summary.json has warnings only when there are some");
            assertTrue(!r.err().contains("WARNING"), r.err());
        }
    }
}
