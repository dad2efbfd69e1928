package io.conlimit.realservers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * memcached 1.6 (Debian's memcached), {@code -c C -t 1 -U 0 -l 127.0.0.1 -p PORT}.
 *
 * <p>{@code -c} is a file-descriptor budget, not a client count: memcached lowers its RLIMIT_NOFILE to C, and
 * a connection is served only while its descriptor number is below C - 1. memcached -t 1 -U 0 itself holds 11
 * descriptors (0-10: stdio, two epoll instances, an eventfd, two notify pipes, the listener), so, started with
 * only stdio open (as ProcessBuilder starts it), <b>C - 12</b> clients are served: C = 20 serves <b>8</b>.
 * Client C - 11 is accepted (descriptor C - 1), answered {@code ERROR Too many open connections\r\n} and
 * closed (a reset when its request was unread); {@code stats} counts it in rejected_connections.
 * Descriptors inherited from the parent count too: from a shell that leaks one more descriptor, C = 20 serves 7.
 * Too small a C does not start: C = 10 fails with {@code server_socket: Too many open files}, and with the
 * default 4 threads (-t 4) C = 20 fails too ({@code epoll_create: Too many open files}).
 */
final class Memcached {
    static final String BIN = "/usr/bin/memcached";
    /** memcached -t 1 -U 0 serves C - RESERVED clients: its own 11 descriptors plus descriptor C - 1. */
    static final int RESERVED = 12;

    private Memcached() {
    }

    static List<String> command(Path bin, int port, int c) {
        return List.of(bin.toString(), "-u", "root", "-l", ServerProcess.HOST, "-p", Integer.toString(port),
                "-c", Integer.toString(c), "-t", "1", "-U", "0");
    }

    static ServerProcess start(Path dir, int c) throws IOException {
        Path bin = ServerProcess.assumeServer("memcached", "memcached", BIN);
        Files.createDirectories(dir);
        int port = ServerProcess.freePort();
        return ServerProcess.start("memcached", dir, port, false, command(bin, port, c)).awaitPort().awaitNoConnections();
    }
}
