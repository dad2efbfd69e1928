package io.conlimit.realservers;

import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import io.conlimit.target.TargetServer;
import io.conlimit.target.TargetServers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HAProxy 2.6 (Debian's haproxy) in TCP mode: one frontend on a loopback port with {@code maxconn M} and
 * {@code backlog B}, forwarding to a backend that never limits: conlimit's own event-loop target on loopback
 * (accepts every connection, holds it for ever, echoes each line, sends no greeting). Run as
 * {@code haproxy -f DIR/haproxy.cfg -db} (foreground), one thread.
 *
 * <p>Observed (2.6.12, kernel somaxconn 4096), M = 6, B = 4:
 * <ul>
 *   <li>M = 6 connections are accepted by HAProxy and forwarded: a line sent on each comes back (served);</li>
 *   <li>at M, HAProxy stops accepting (the frontend's listener is paused, not closed): the next B + 1 = 5
 *       connect and wait in the kernel's accept queue, their lines unanswered ({@code ss -ltn}: Recv-Q 5,
 *       Send-Q 4: {@code backlog 4} is what HAProxy passed to listen());</li>
 *   <li>the one after that does not connect: its SYN is dropped at the full accept queue (connect timeout);</li>
 *   <li>closing a served connection makes HAProxy accept the oldest queued one, whose line is then answered.</li>
 * </ul>
 * So maxconn plays the workers: held = M + B + 1 = 11 connect-level, served = M = 6.
 */
final class HaProxy {
    static final String BIN = "/usr/sbin/haproxy";

    private HaProxy() {
    }

    static String config(int port, int maxconn, int backlog, int backendPort) {
        return "global\n"
                + "  maxconn 100\n"
                + "  nbthread 1\n"
                + "defaults\n"
                + "  mode tcp\n"
                + "  timeout connect 5s\n"
                + "  timeout client 300s\n"
                + "  timeout server 300s\n"
                + "frontend fe\n"
                + "  bind " + ServerProcess.HOST + ":" + port + "\n"
                + "  maxconn " + maxconn + "\n"
                + "  backlog " + backlog + "\n"
                + "  default_backend be\n"
                + "backend be\n"
                + "  server echo " + ServerProcess.HOST + ":" + backendPort + "\n";
    }

    /**
     * Starts the backend (closed with HAProxy, a companion of its {@link ServerProcess}), then HAProxy, and waits
     * until HAProxy's port accepts and the readiness connection is gone.
     */
    static ServerProcess start(Path dir, int maxconn, int backlog) throws IOException {
        Path bin = ServerProcess.assumeServer("haproxy", "haproxy", BIN);
        Files.createDirectories(dir);
        TargetServer backend = TargetServers.start(ServerConfig.builder(ServerKind.EVENT_LOOP).backlog(BacklogRequest.max())
                .hold(new HoldSpec.Forever()).banner(null).echo(true).build());
        int port = ServerProcess.freePort();
        Path conf = dir.resolve("haproxy.cfg");
        Files.writeString(conf, config(port, maxconn, backlog, backend.address().getPort()));
        ServerProcess p;
        try {
            p = ServerProcess.start("haproxy", dir, port, false, List.of(bin.toString(), "-f", conf.toString(), "-db"));
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
        p.companions.add(backend);
        try {
            return p.awaitPort().awaitNoConnections();
        } catch (RuntimeException | Error e) {
            p.close();
            throw e;
        }
    }
}
