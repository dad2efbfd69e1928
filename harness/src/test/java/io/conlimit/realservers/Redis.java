package io.conlimit.realservers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Redis 7.0 (Debian's redis-server): {@code redis-server --bind 127.0.0.1 --port P --maxclients M --save ''
 * --appendonly no --dir DIR --daemonize no --protected-mode no}.
 *
 * <p>Observed: exactly <b>M</b> clients are served (M = 10: ten {@code PING} get {@code +PONG}); the next is
 * accepted, sent {@code -ERR max number of clients reached\r\n} and closed. Unlike memcached's {@code -c},
 * maxclients counts clients only (Redis adds its own 32 reserved descriptors to the file limit it asks for).
 */
final class Redis {
    static final String BIN = "/usr/bin/redis-server";

    private Redis() {
    }

    static ServerProcess start(Path dir, int maxClients) throws IOException {
        Path bin = ServerProcess.assumeServer("redis", "redis-server", BIN);
        Files.createDirectories(dir);
        int port = ServerProcess.freePort();
        return ServerProcess.start("redis-server", dir, port, false, List.of(bin.toString(), "--bind", ServerProcess.HOST,
                "--port", Integer.toString(port), "--maxclients", Integer.toString(maxClients), "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no", "--protected-mode", "no"))
                .awaitPort().awaitNoConnections();
    }
}
