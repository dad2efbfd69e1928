package io.conlimit.scenario;

import io.conlimit.expect.Operand;
import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import io.conlimit.plan.TargetSpec;
import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioLoaderTest {
    static final Path SHIPPED = Path.of("../scenarios");
    static final Path VALID = Path.of("src/test/resources/scenarios/valid");

    static Stream<Path> yamlIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyShippedScenarioIsValid() throws IOException {
        List<Path> files = yamlIn(SHIPPED).toList();
        assertEquals(8, files.size(), "the seven scenarios of issue 4 and fleet-burst (issue 15) in " + SHIPPED.toAbsolutePath());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Scenario s = ScenarioLoader.load(f, List.of());
            assertEquals(f.getFileName().toString().replace(".yaml", ""), s.name(), "name matches the file");
            assertFalse(s.description().isBlank(), "a description");
            assertFalse(s.expectations().isEmpty(), "each shipped scenario states what must hold");
            assertTrue(Files.readString(f).startsWith("# "), "explains itself in comments");
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyValidExampleParses() throws IOException {
        return yamlIn(VALID).map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> ScenarioLoader.load(f, List.of())));
    }

    @Test
    void workersPlusBacklogBuildsTheRunPlanItDescribes() {
        Scenario s = ScenarioLoader.load(SHIPPED.resolve("workers-plus-backlog.yaml"), List.of());
        ServerConfig c = ((TargetSpec.Embedded) s.plan().target()).server();
        assertEquals(ServerKind.BLOCKING_POOL, c.kind());
        assertEquals(2, c.workers());
        assertEquals(BacklogRequest.of(8), c.backlog());
        assertInstanceOf(HoldSpec.Forever.class, c.hold());
        assertEquals(List.of(new LoadPhase.HoldProbe(Duration.ofMillis(20), 100, 3)), s.plan().phases());
        assertTrue(s.plan().client().holdUntilEnd());
        assertEquals(Duration.ofSeconds(3), s.plan().client().connectTimeout());
        assertEquals("held_max == 11", s.expectations().get(0).text());
        assertNull(s.lab());
    }

    @Test
    void labScenarioKeepsSysctlsAndStartsTheEmbeddedServerInside() {
        Scenario s = ScenarioLoader.load(SHIPPED.resolve("somaxconn-clamp.yaml"), List.of());
        assertTrue(s.needsLab());
        assertEquals(LabTarget.Kind.NETNS, s.lab().kind());
        assertEquals(Map.of("net.core.somaxconn", "128"), s.lab().serverSysctls());
        assertEquals(Map.of(), s.lab().clientSysctls());
        assertEquals(BacklogRequest.of(4096), s.lab().server().backlog());
        assertEquals(s.lab().server(), ((TargetSpec.Embedded) s.plan().target()).server());
        assertEquals(Map.of("kind", "netns", "server_sysctls", Map.of("net.core.somaxconn", "128"), "client_sysctls", Map.of()),
                s.inputsJson().get("lab"));
        assertEquals(List.of("held_max == 130", "limit.measured == limit.predicted", "outcomes.refused == 0"), s.inputsJson().get("expect"));
    }

    @Test
    void externalTargetWithEveryClientOption() {
        Scenario s = ScenarioLoader.load(VALID.resolve("external-memcached.yaml"), List.of());
        assertEquals(new TargetSpec.External("127.0.0.1", 11211, "127.0.0.1:7070", "[::1]:7071"), s.plan().target());
        ClientOptions c = s.plan().client();
        Probe.Request r = assertInstanceOf(Probe.Request.class, c.probe());
        assertArrayEquals("version\r\n".getBytes(StandardCharsets.UTF_8), r.payload());
        assertArrayEquals("\r\n".getBytes(StandardCharsets.UTF_8), r.delimiter());
        assertEquals(0, r.expectBytes());
        assertEquals(Duration.ofMillis(250), c.hold());
        assertEquals(ClientOptions.CloseMode.RST, c.closeMode());
        assertEquals(8, c.sources().size());
        assertEquals("127.0.0.8", c.sources().get(7).getHostAddress());
        assertEquals(List.of(new LoadPhase.Rate(500, Duration.ofSeconds(10), true), new LoadPhase.Pause(Duration.ofSeconds(2)),
                new LoadPhase.Ramp(100, 5000, Duration.ofSeconds(30), 5)), s.plan().phases());
        assertEquals(4, s.expectations().size());
        assertEquals(1500.0, ((Operand.Number) s.expectations().get(1).rhs()).value());
    }

    @Test
    void defaultsAndEveryEmbeddedOption() throws Exception {
        Scenario min = ScenarioLoader.load(VALID.resolve("minimal.yaml"), List.of());
        assertEquals("minimal", min.name(), "the file name when no name is given");
        assertEquals("", min.description());
        assertEquals(ClientOptions.defaults().connectTimeout(), min.plan().client().connectTimeout());
        assertEquals(BacklogRequest.runtimeDefault(), ((TargetSpec.Embedded) min.plan().target()).server().backlog());
        assertEquals(List.of(), min.expectations());

        Scenario all = ScenarioLoader.load(VALID.resolve("every-form.yaml"), List.of());
        ServerConfig c = ((TargetSpec.Embedded) all.plan().target()).server();
        assertEquals(ServerKind.THREAD_POOL, c.kind());
        assertEquals(BacklogRequest.max(), c.backlog());
        assertEquals(5, c.queue());
        assertEquals(new HoldSpec.Exponential(Duration.ofMillis(200)), c.hold());
        assertEquals("hi\r\n", c.banner());
        assertEquals(0, c.statsPort());
        assertEquals(new Probe.Http("/health", "127.0.0.1"), all.plan().client().probe());
        assertEquals(InetAddress.getByName("::1"), all.plan().client().sources().get(2));
        assertEquals(new LoadPhase.HoldProbe(Duration.ofMillis(10), 1000, 3), all.plan().phases().get(4), "hold: {} takes the defaults");
        assertEquals(new LoadPhase.Settle(Duration.ofSeconds(5)), all.plan().phases().get(2));
    }

    @Test
    void setOverridesApplyBeforeValidation() {
        Path f = SHIPPED.resolve("workers-plus-backlog.yaml");
        Scenario s = ScenarioLoader.load(f, List.of(
                SetOverride.parse(SetOverride.SET, "target.embedded.backlog=4096"),
                SetOverride.parse(SetOverride.SET, "server.workers=6"),
                SetOverride.parse(SetOverride.SET, "client.connect-timeout=5s"),
                SetOverride.parse(SetOverride.SET, "load[1]={burst: 20}"),
                SetOverride.parse(SetOverride.SET, "expect[0]=held_max == 4105")));
        ServerConfig c = ((TargetSpec.Embedded) s.plan().target()).server();
        assertEquals(BacklogRequest.of(4096), c.backlog());
        assertEquals(6, c.workers());
        assertEquals(Duration.ofSeconds(5), s.plan().client().connectTimeout());
        assertEquals(new LoadPhase.Burst(20), s.plan().phases().get(1));
        assertEquals("held_max == 4105", s.expectations().get(0).text());
    }

    @Test
    void serverAliasFollowsALabTarget() {
        Scenario s = ScenarioLoader.load(SHIPPED.resolve("somaxconn-clamp.yaml"), List.of(
                SetOverride.parse(SetOverride.SET, "server.backlog=128"),
                SetOverride.parse(SetOverride.SET, "lab.server.sysctls.net.core.somaxconn=4096"),
                SetOverride.parse(SetOverride.SET, "server.sysctls.net.ipv4.tcp_abort_on_overflow=1")));
        assertEquals(BacklogRequest.of(128), s.lab().server().backlog());
        assertEquals(Map.of("net.core.somaxconn", "4096", "net.ipv4.tcp_abort_on_overflow", "1"), s.lab().serverSysctls());
    }

    @Test
    void missingFileIsAConfigurationError() {
        ScenarioException e = org.junit.jupiter.api.Assertions.assertThrows(ScenarioException.class,
                () -> ScenarioLoader.load(Path.of("no/such.yaml"), List.of()));
        assertEquals(List.of("no/such.yaml: cannot read the file: no such file"), e.lines());
    }

    private static Probe probeOf(String probeYaml) {
        String yaml = "name: p\ntarget:\n  host: 127.0.0.1\n  port: 9\nclient:\n  probe: " + probeYaml + "\nload:\n  - burst: 1\n";
        return ScenarioLoader.parse("p.yaml", yaml, List.of()).plan().client().probe();
    }

    @Test
    void protocolProbesAndRequestPatterns() {
        assertEquals(new Probe.Mysql(), probeOf("mysql"));
        assertEquals(new Probe.Memcached(), probeOf("memcached"));
        assertEquals(new Probe.Redis(), probeOf("redis"));
        assertEquals(new Probe.Smtp(), probeOf("smtp"));
        assertEquals(new Probe.Ftp(), probeOf("ftp"));
        assertEquals(new Probe.Postgres("conlimit", "conlimit"), probeOf("postgres"));
        assertEquals(new Probe.Postgres("app", "app"), probeOf("{postgres: {user: app}}"));
        assertEquals(new Probe.Postgres("app", "sales"), probeOf("{postgres: {user: app, database: sales}}"));
        Probe.Request r = assertInstanceOf(Probe.Request.class,
                probeOf("{request: {send: \"version\\r\\n\", until: \"\\r\\n\", served: \"^VERSION\", refused: \"ERROR\"}}"));
        assertArrayEquals("version\r\n".getBytes(StandardCharsets.US_ASCII), r.payload());
        assertEquals("^VERSION", r.served());
        assertEquals("ERROR", r.refused());
        Probe.Request bytes = assertInstanceOf(Probe.Request.class, probeOf("{request: {send: \"\\x00\\xff\", expect-bytes: 4}}"));
        assertArrayEquals(new byte[] {0, (byte) 0xff}, bytes.payload(), "YAML's \\xHH: one byte each");
        assertNull(bytes.served());
    }

    @Test
    void aMisspelledProbeNameIsLocatedWithASuggestion() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> probeOf("mysq"));
        assertEquals(List.of("p.yaml:6:10: at client.probe: unknown probe 'mysq'; did you mean 'mysql'?"), e.lines());
    }
}
