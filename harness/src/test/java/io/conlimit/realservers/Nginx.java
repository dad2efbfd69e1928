package io.conlimit.realservers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx 1.22 (Debian's nginx), one worker process, {@code worker_connections N}, one listener, an HTTP server
 * that answers every request with {@code 200 ok} ({@code return 200}), keep-alive for 300 s and unlimited
 * requests per connection, {@code client_header_timeout 300s}.
 *
 * <p>The worker's N connection slots also hold its listener and the channel to the master: 2 slots, so
 * <b>N - 2 clients</b> at most. What happens past that depends on whether the held connections are reusable:
 * <ul>
 *   <li><b>busy</b> connections (a request whose header has not ended): N = 16 holds exactly 14; the 15th is
 *       accepted and closed at once (the client reads EOF, or a reset when its request bytes were unread), and
 *       the error log says {@code [alert] ... 16 worker_connections are not enough}. The held ones are served
 *       when their header ends.</li>
 *   <li><b>idle</b> connections (keep-alive after an answer, or connected without a request yet) are
 *       <i>reusable</i>: nginx never refuses a new client, it closes the oldest idle ones instead
 *       ({@code [warn] 16 worker_connections are not enough, reusing connections}). Every request is answered
 *       {@code 200}; at most N - 2 - floor(N/16) stay open together (N = 16: <b>13</b>), because nginx drains
 *       one reusable connection whenever no more than N/16 slots are free.</li>
 * </ul>
 * So with nginx, "held keep-alive connections" is not a measure of worker_connections: the old ones are closed
 * by the server (a client sees EOF on its next read). The config is {@link #config}.
 */
final class Nginx {
    static final String BIN = "/usr/sbin/nginx";

    private Nginx() {
    }

    static String config(int port, int workerConnections) {
        return "worker_processes 1;\n"
                + "error_log logs/error.log info;\n"
                + "pid logs/nginx.pid;\n"
                + "events { worker_connections " + workerConnections + "; }\n"
                + "http {\n"
                + "  access_log off;\n"
                + "  keepalive_timeout 300s;\n"
                + "  keepalive_requests 1000000;\n"
                + "  client_header_timeout 300s;\n"
                + "  client_body_temp_path tmp; proxy_temp_path tmp; fastcgi_temp_path tmp; uwsgi_temp_path tmp; scgi_temp_path tmp;\n"
                + "  server {\n"
                + "    listen 127.0.0.1:" + port + ";\n"
                + "    location / { return 200 \"ok\\n\"; }\n"
                + "  }\n"
                + "}\n";
    }

    /** Starts nginx in the foreground ({@code -p dir/ -c nginx.conf -g 'daemon off;'}) and waits for its port. */
    static ServerProcess start(Path dir, int workerConnections) throws IOException {
        Path bin = ServerProcess.assumeServer("nginx", "nginx", BIN);
        Files.createDirectories(dir);
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("tmp"));
        int port = ServerProcess.freePort();
        Files.writeString(dir.resolve("nginx.conf"), config(port, workerConnections));
        ServerProcess p = ServerProcess.start("nginx", dir, port, false,
                List.of(bin.toString(), "-p", dir + "/", "-c", "nginx.conf", "-g", "daemon off;"));
        p.extraLogs.add(dir.resolve("logs/error.log"));
        return p.awaitPort().awaitNoConnections();
    }
}
