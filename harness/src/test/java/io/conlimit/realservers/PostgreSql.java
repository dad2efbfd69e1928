package io.conlimit.realservers;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * PostgreSQL (Debian's postgresql, 15 on bookworm): a cluster made by {@code initdb -U conlimit --auth=trust} in
 * the test's temp dir, then {@code postgres -D DIR/data -c listen_addresses=127.0.0.1 -p P -c
 * unix_socket_directories=DIR/sock -c max_connections=M -c superuser_reserved_connections=0}, both run as the
 * {@code postgres} user (postgres refuses to run as root) through {@code setpriv}, which execs them.
 *
 * <p>Observed (15.18): exactly <b>M</b> clients that send a StartupMessage for {@code conlimit}/{@code postgres}
 * are served (AuthenticationOk, then an idle session); the next gets an ErrorResponse with SQLSTATE <b>53300</b>
 * {@code sorry, too many clients already} and is closed. The check is made by the backend forked for the
 * connection once it has read the startup packet (no free PGPROC slot), so a client that only connects is
 * accepted and held (its backend waits up to authentication_timeout, 60 s, for the startup packet) far past M:
 * connect-level holds say nothing about max_connections. A startup naming a database that does not exist gets
 * 3D000 and is closed at once, freeing its slot. The superuser is {@code conlimit}; with
 * superuser_reserved_connections 0 nothing is kept back for it (PostgreSQL 16+ also has reserved_connections,
 * set to 0 there).
 */
final class PostgreSql {
    static final Path VERSIONS = Path.of("/usr/lib/postgresql");
    /** initdb's superuser, the probe's user; the database is initdb's {@code postgres}. */
    static final String USER = "conlimit";
    static final String DATABASE = "postgres";
    static final String OS_USER = "postgres";

    private PostgreSql() {
    }

    /** The newest {@code /usr/lib/postgresql/N/bin} that has a postgres binary; skips the test when none. */
    static Path binDir() throws IOException {
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(VERSIONS)) {
            try (Stream<Path> s = Files.list(VERSIONS)) {
                s.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres"))).forEach(found::add);
            }
        }
        found.sort(Comparator.comparingInt(PostgreSql::major));
        Path bin = ServerProcess.assumeServer("postgresql", "postgresql",
                found.isEmpty() ? new String[] {VERSIONS + "/N/bin/postgres"} : new String[] {found.get(found.size() - 1).resolve("postgres").toString()});
        return bin.getParent();
    }

    static int major(Path binDir) {
        try {
            return Integer.parseInt(binDir.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static ServerProcess start(Path dir, int maxConnections) throws IOException {
        Path bin = binDir();
        assumeTrue(Files.readString(Path.of("/etc/passwd")).lines().anyMatch(l -> l.startsWith(OS_USER + ":")),
                "real-server test (postgresql) skipped: no '" + OS_USER + "' user (apt-get install postgresql creates it)");
        ServerProcess.reachableByOthers(dir);
        Path data = ownedByPostgres(dir.resolve("data"));
        Path sock = ownedByPostgres(dir.resolve("sock"));
        ServerProcess.runChecked(Duration.ofSeconds(120), dir, asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(),
                "-U", USER, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"));
        int port = ServerProcess.freePort();
        List<String> cmd = asPostgres(bin.resolve("postgres").toString(), "-D", data.toString(),
                "-c", "listen_addresses=" + ServerProcess.HOST, "-p", Integer.toString(port),
                "-c", "unix_socket_directories=" + sock, "-c", "max_connections=" + maxConnections,
                "-c", "superuser_reserved_connections=0", "-c", "shared_buffers=16MB", "-c", "fsync=off");
        if (major(bin) >= 16) {
            cmd.addAll(List.of("-c", "reserved_connections=0"));
        }
        ServerProcess p = ServerProcess.start("postgres", dir, port, false, cmd).stopWith("INT");
        // the port accepts before recovery ends (57P03 "the database system is starting up"): wait for a session
        p.awaitCondition("a session for " + USER + "/" + DATABASE, () -> {
            try (Socket s = ServerProcess.connect(port, Duration.ofSeconds(2))) {
                ServerProcess.send(s, startup(USER, DATABASE));
                return firstMessage(s).equals("authentication ok");
            } catch (IOException e) {
                return false;
            }
        });
        return p.awaitNoConnections();
    }

    /** {@code setpriv} as the postgres user and group, exec'ing the command (no extra process in between). */
    private static List<String> asPostgres(String... command) {
        List<String> c = new ArrayList<>(List.of("setpriv", "--reuid=" + OS_USER, "--regid=" + OS_USER, "--clear-groups"));
        c.addAll(List.of(command));
        return c;
    }

    private static Path ownedByPostgres(Path dir) throws IOException {
        Files.createDirectories(dir);
        UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = users.lookupPrincipalByName(OS_USER);
        GroupPrincipal group = users.lookupPrincipalByGroupName(OS_USER);
        PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
        return dir;
    }

    /** A protocol 3.0 StartupMessage (ISO-8859-1 text as the test helpers send it). */
    static String startup(String user, String database) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int32(body, 196608);
        for (String s : new String[] {"user", user, "database", database}) {
            body.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            body.write(0);
        }
        body.write(0);
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        int32(m, body.size() + 4);
        m.writeBytes(body.toByteArray());
        return m.toString(StandardCharsets.ISO_8859_1);
    }

    private static void int32(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }

    /**
     * The server's first message: "authentication ok", "authentication N" (another method), "error SQLSTATE
     * message", or "timeout", "closed", "message X".
     */
    static String firstMessage(Socket s) {
        try {
            DataInputStream in = new DataInputStream(s.getInputStream());
            int type = in.read();
            if (type < 0) {
                return "closed";
            }
            int length = in.readInt();
            byte[] body = in.readNBytes(length - 4);
            if (type == 'R' && body.length >= 4) {
                int method = (body[0] & 0xff) << 24 | (body[1] & 0xff) << 16 | (body[2] & 0xff) << 8 | (body[3] & 0xff);
                return method == 0 ? "authentication ok" : "authentication " + method;
            }
            if (type == 'E') {
                return "error " + field(body, 'C') + " " + field(body, 'M');
            }
            return "message " + (char) type;
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return "closed";
        }
    }

    /** An ErrorResponse field (code byte, NUL-terminated text), or "?". */
    private static String field(byte[] body, char code) {
        int i = 0;
        while (i < body.length && body[i] != 0) {
            int end = i + 1;
            while (end < body.length && body[end] != 0) {
                end++;
            }
            if (body[i] == code) {
                return new String(body, i + 1, end - i - 1, StandardCharsets.UTF_8);
            }
            i = end + 1;
        }
        return "?";
    }

    /** Whether {@code s} reads EOF (or a reset) within its read timeout, without data first. */
    static boolean closedByServer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
