package io.conlimit.target.servers;

import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import io.conlimit.target.TargetServer;
import io.conlimit.target.TargetServers;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.conlimit.target.Probes.assertNoServerThreads;
import static io.conlimit.target.Probes.connect;
import static io.conlimit.target.Probes.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatsEndpointTest {

    private static HttpURLConnection get(InetSocketAddress a, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://" + Addresses.format(a) + path).openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(5_000);
        return c;
    }

    @Test
    void getStatsIsAJsonSnapshotAndOtherPathsAre404() throws Exception {
        ServerConfig config = ServerConfig.builder(ServerKind.THREAD_POOL).workers(1).queue(1)
                .backlog(BacklogRequest.of(5)).hold(new HoldSpec.Forever()).statsPort(0).build();
        try (TargetServer server = TargetServers.start(config);
             Socket a = connect(server.address(), 5_000);
             Socket b = connect(server.address(), 5_000)) {
            assertTrue(a.isConnected() && b.isConnected());
            InetSocketAddress stats = server.statsAddress().orElseThrow();
            assertEquals(Addresses.format(stats), StartLine.parse(server.startLine()).get("stats"));
            waitUntil(() -> server.stats().accepted() == 2 && server.stats().inService() == 1 && server.stats().queued() == 1,
                    Duration.ofSeconds(10), () -> "2 accepted, 1 in service, 1 queued, stats " + server.stats());
            HttpURLConnection c = get(stats, "/stats");
            assertEquals(200, c.getResponseCode());
            assertEquals("application/json", c.getContentType());
            String json = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            String expected = "{\"kind\":\"thread-pool\",\"address\":\"" + Addresses.format(server.address()) + "\","
                    + "\"accepted\":2,\"in_service\":1,\"served\":0,\"closed\":0,\"queued\":1,"
                    + "\"backlog\":{\"requested\":\"5\",\"passed\":5,\"effective\":" + server.backlog().effective()
                    + ",\"effective_source\":\"ss -lnt\",\"somaxconn\":" + server.backlog().somaxconn() + "}}";
            assertEquals(expected, json);
            assertEquals(404, get(stats, "/").getResponseCode());
            assertEquals(404, get(stats, "/stats/x").getResponseCode());
        }
        assertNoServerThreads();
    }

    @Test
    void aTakenStatsPortFailsTheStartAndLeavesNothingRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ServerConfig config = ServerConfig.builder(ServerKind.BLOCKING_POOL).statsPort(taken.getLocalPort()).build();
            BindException e = assertThrows(BindException.class, () -> TargetServers.start(config));
            assertEquals("stats port " + taken.getLocalPort() + " on 127.0.0.1 is already in use", e.getMessage());
        }
        assertNoServerThreads();
    }

    @Test
    void aTakenPortNamesAddressAndPort() throws Exception {
        for (ServerKind kind : ServerKind.values()) {
            try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                ServerConfig config = ServerConfig.builder(kind).port(taken.getLocalPort()).build();
                BindException e = assertThrows(BindException.class, () -> TargetServers.start(config));
                assertEquals("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use", e.getMessage(), kind.toString());
            }
        }
        assertNoServerThreads();
    }

    @Test
    void jsonEscapes() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", io.conlimit.json.Json.write("a\"b\\c\nd\u0001"));
        assertTrue(Addresses.compress("0:0:0:0:0:0:0:1").equals("::1"));
        assertEquals("fe80::1:0:0:2", Addresses.compress("fe80:0:0:0:1:0:0:2"));
    }
}
