package io.conlimit.target.servers;

import io.conlimit.kernel.ListenQueues;
import io.conlimit.kernel.Sysctls;
import io.conlimit.target.BacklogReport;
import io.conlimit.target.BacklogRequest;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import io.conlimit.target.TargetServer;
import io.conlimit.target.TargetServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.conlimit.target.Probes.listener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The backlog as the kernel reports it in this (the host's) namespace, and the warnings in plain words. */
class BacklogReportTest {
    private int somaxconn;

    @BeforeEach
    void readSomaxconn() {
        assumeTrue(ListenQueues.find().isPresent(), "iproute2's ss is not installed");
        somaxconn = new Sysctls().somaxconn();
        assumeTrue(somaxconn > 0, "net.core.somaxconn cannot be read");
    }

    private static TargetServer start(ServerKind kind, BacklogRequest backlog) throws Exception {
        return TargetServers.start(ServerConfig.builder(kind).workers(1).backlog(backlog).build());
    }

    @Test
    void maxIsReportedEqualToSomaxconn() throws Exception {
        for (ServerKind kind : List.of(ServerKind.BLOCKING_POOL, ServerKind.EVENT_LOOP)) {
            try (TargetServer server = start(kind, BacklogRequest.max())) {
                BacklogReport b = server.backlog();
                assertEquals(somaxconn, b.effective(), kind + ": " + b);
                assertEquals(somaxconn, b.somaxconn());
                assertEquals(Integer.MAX_VALUE, b.passed());
                assertEquals(BacklogInspector.SOURCE_SS, b.effectiveSource());
                assertEquals(b.effective(), listener(server).max(), "Send-Q now");
                assertTrue(b.warnings().isEmpty(), "max asks for the clamp: " + b.warnings());
                Map<String, String> line = StartLine.parse(server.startLine());
                assertEquals("max", line.get("backlog.requested"));
                assertEquals("2147483647", line.get("backlog.passed"));
                assertEquals(Integer.toString(somaxconn), line.get("backlog.effective"));
                assertEquals("ss", line.get("backlog.source"));
                assertEquals(Integer.toString(somaxconn), line.get("somaxconn"));
            }
        }
    }

    @Test
    void aRequestAboveSomaxconnIsReportedClamped() throws Exception {
        assumeTrue(somaxconn < 8192, "somaxconn is " + somaxconn + ": 8192 is not above it");
        try (TargetServer server = start(ServerKind.THREAD_POOL, BacklogRequest.of(8192))) {
            BacklogReport b = server.backlog();
            assertEquals(8192, b.passed());
            assertEquals(somaxconn, b.effective());
            assertEquals(List.of("asked for 8192, the kernel silently clamped it to somaxconn " + somaxconn), b.warnings());
        }
    }

    @Test
    void oneHundredTwentyEightIsTheSomaxconnConstantTrap() throws Exception {
        assumeTrue(somaxconn > 128, "somaxconn is " + somaxconn + ": 128 is no trap here");
        try (TargetServer server = start(ServerKind.BLOCKING_POOL, BacklogRequest.of(128))) {
            assertEquals(128, server.backlog().effective());
            assertEquals(1, server.backlog().warnings().size(), server.backlog().warnings().toString());
            String w = server.backlog().warnings().get(0);
            assertTrue(w.contains("old compile-time SOMAXCONN") && w.contains("the program gets 128 though the system allows " + somaxconn), w);
        }
    }

    @Test
    void defaultAndBelowOneGetJavasFifty() throws Exception {
        for (BacklogRequest r : List.of(BacklogRequest.runtimeDefault(), BacklogRequest.of(0), BacklogRequest.of(-1))) {
            for (ServerKind kind : List.of(ServerKind.SLEEPY_ACCEPT, ServerKind.EVENT_LOOP)) {
                try (TargetServer server = start(kind, r)) {
                    BacklogReport b = server.backlog();
                    assertEquals(50, b.passed(), kind + " " + r);
                    assertEquals(Math.min(50, somaxconn), b.effective(), kind + " " + r + ": the kernel's maximum");
                    assertEquals(1, b.warnings().size(), b.warnings().toString());
                    assertTrue(b.warnings().get(0).contains("Java's default backlog 50 (ServerSocket replaces a backlog below 1 by 50)")
                            || b.warnings().get(0).contains("Java's default backlog 50 applies (ServerSocket replaces a backlog below 1 by 50)"),
                            b.warnings().get(0));
                    assertEquals(r.toString(), StartLine.parse(server.startLine()).get("backlog.requested"));
                }
            }
        }
    }

    @Test
    void withoutSsTheEffectiveBacklogIsUnknownNotComputed() {
        BacklogReport b = BacklogInspector.inspect(BacklogRequest.of(64), new InetSocketAddress("127.0.0.1", 9), 4096, Optional.empty());
        assertEquals(-1, b.effective());
        assertTrue(b.effectiveSource().startsWith("unknown: iproute2's ss is not installed"), b.effectiveSource());
        assertTrue(b.warnings().stream().anyMatch(w -> w.contains("ss is not installed")), b.warnings().toString());
        ServerConfig config = ServerConfig.builder(ServerKind.BLOCKING_POOL).build();
        Map<String, String> line = StartLine.parse(StartLine.serving(config, new InetSocketAddress("127.0.0.1", 9), 4, b, Optional.empty()));
        assertEquals("unknown", line.get("backlog.effective"));
        assertEquals("unavailable", line.get("backlog.source"));
        assertEquals("none", line.get("stats"));
    }

    @Test
    void warningsInPlainWords() {
        assertEquals(List.of("asked for 8192, the kernel silently clamped it to somaxconn 4096"),
                BacklogInspector.warnings(BacklogRequest.of(8192), 4096, "ss -lnt", 4096));
        assertEquals(List.of(), BacklogInspector.warnings(BacklogRequest.of(128), 128, "ss -lnt", 128));
        assertEquals(List.of(), BacklogInspector.warnings(BacklogRequest.max(), 4096, "ss -lnt", 4096));
        assertEquals(List.of(), BacklogInspector.warnings(BacklogRequest.of(511), 511, "ss -lnt", 4096));
        List<String> trap = BacklogInspector.warnings(BacklogRequest.of(128), 128, "ss -lnt", 4096);
        assertEquals(1, trap.size());
        assertTrue(trap.get(0).contains("the program gets 128 though the system allows 4096"), trap.get(0));
        List<String> odd = BacklogInspector.warnings(BacklogRequest.of(64), 32, "ss -lnt", 4096);
        assertEquals(List.of("the kernel reports a maximum of 32 where min(64, somaxconn 4096) = 64 was expected"), odd);
    }
}
