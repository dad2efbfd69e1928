package io.conlimit.realservers;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * MariaDB 10.11 (Debian's mariadb-server): a datadir made by {@code mariadb-install-db} in the test's temp dir,
 * {@code mariadbd --no-defaults --user=root --skip-grant-tables --bind-address=127.0.0.1 --port P --socket
 * DIR/mysqld.sock --max-connections M}.
 *
 * <p>Observed: <b>M + 1</b> clients get the protocol-10 greeting (first payload byte 0x0a): the extra one is
 * the connection MariaDB keeps for a SUPER user (it cannot know who connects before the handshake, so any
 * client gets it). The next is sent an error packet (0xff, code <b>1040</b> "Too many connections") and closed.
 * max_connections below 10 is raised to 10 (M = 3 serves 11).
 */
final class MariaDb {
    static final String SERVER = "/usr/sbin/mariadbd";
    static final String INSTALL_DB = "/usr/bin/mariadb-install-db";

    private MariaDb() {
    }

    static ServerProcess start(Path dir, int maxConnections) throws IOException {
        Path bin = ServerProcess.assumeServer("mariadb", "mariadb-server", SERVER);
        Path install = ServerProcess.assumeServer("mariadb", "mariadb-server", INSTALL_DB);
        Files.createDirectories(dir);
        Path data = dir.resolve("data");
        ServerProcess.runChecked(Duration.ofSeconds(120), dir, List.of(install.toString(), "--no-defaults",
                "--datadir=" + data, "--user=root", "--auth-root-authentication-method=normal", "--skip-test-db"));
        int port = ServerProcess.freePort();
        ServerProcess p = ServerProcess.start("mariadbd", dir, port, false, List.of(bin.toString(), "--no-defaults",
                "--datadir=" + data, "--user=root", "--skip-grant-tables", "--skip-name-resolve", "--skip-log-bin",
                "--bind-address=" + ServerProcess.HOST, "--port=" + port, "--socket=" + dir.resolve("mysqld.sock"),
                "--pid-file=" + dir.resolve("mysqld.pid"), "--innodb-buffer-pool-size=8M",
                "--max-connections=" + maxConnections));
        p.awaitCondition("the protocol-10 greeting", () -> {
            try (Socket s = ServerProcess.connect(port, Duration.ofSeconds(2))) {
                byte[] payload = readPacket(s);
                return payload.length > 0 && payload[0] == 0x0a;
            } catch (IOException e) {
                return false;
            }
        });
        return p.awaitNoConnections();
    }

    /** Reads one MySQL packet (3-byte little-endian length, sequence id) and returns its payload. */
    static byte[] readPacket(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new IOException("closed after " + header.length + " header bytes");
        }
        int len = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
        byte[] payload = in.readNBytes(len);
        if (payload.length < len) {
            throw new IOException("closed after " + payload.length + " of " + len + " payload bytes");
        }
        return payload;
    }

    /** "greeting", "error CODE message", or what else happened (timeout, closed). */
    static String firstPacket(Socket s) {
        try {
            byte[] p = readPacket(s);
            if (p.length > 0 && p[0] == 0x0a) {
                return "greeting";
            }
            if (p.length >= 3 && (p[0] & 0xff) == 0xff) {
                int code = (p[1] & 0xff) | (p[2] & 0xff) << 8;
                return "error " + code + " " + new String(p, 3, p.length - 3, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            return "packet 0x" + Integer.toHexString(p.length == 0 ? -1 : p[0] & 0xff);
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "failed: " + e.getMessage();
        }
    }

    static boolean exists() {
        return Files.isExecutable(Path.of(SERVER));
    }
}
