package io.conlimit.realservers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Apache httpd 2.4 (Debian's apache2) with the prefork MPM: {@code workers} single-threaded children
 * (StartServers = ServerLimit = MaxRequestWorkers = workers), {@code ListenBacklog backlog}, KeepAlive On with a
 * 300 s KeepAliveTimeout (a connection that had its answer keeps its child), and either {@code AcceptFilter http
 * none} or the default ({@code http data}: TCP_DEFER_ACCEPT on Linux).
 *
 * <p>Observed (apache2 2.4, Debian 12, kernel with somaxconn 4096), MaxRequestWorkers W = 2, ListenBacklog B = 3,
 * {@code AcceptFilter http none}:
 * <ul>
 *   <li>W = 2 keep-alive connections get {@code HTTP/1.1 200}; each keeps its child for KeepAliveTimeout;</li>
 *   <li>the next B + 1 = 4 connect (client ESTABLISHED, server ESTABLISHED in the accept queue, the listener's
 *       Recv-Q shows 4 with Send-Q 3) and their requests are not answered;</li>
 *   <li>the one after that does not connect: the full accept queue drops its SYN (connect timeout);</li>
 *   <li>closing a served connection frees a child, which accepts the oldest queued connection and answers it.</li>
 * </ul>
 * With the default AcceptFilter ({@code http data}), a client that connects and sends nothing is ESTABLISHED on
 * its side, while the server side stays in SYN-RECV (TCP_DEFER_ACCEPT drops the bare final ACK): it is never in
 * the accept queue, never handed to a child, and costs no worker; once it sends its request it is accepted and
 * answered. The config is {@link #config}; docs/real-servers.md shows how to run it by hand.
 *
 * <p>apache2 runs under {@code setsid} (prefork signals its whole process group on stop), as {@code User
 * www-data} (httpd refuses to serve as root), so the temp dir is made world-readable for the docroot.
 */
final class ApachePrefork {
    static final String BIN = "/usr/sbin/apache2";
    static final String MODULES = "/usr/lib/apache2/modules";

    private ApachePrefork() {
    }

    static Path assumeInstalled() {
        Path bin = ServerProcess.assumeServer("apache2 prefork", "apache2", BIN);
        ServerProcess.assumeTrueFile(Path.of(MODULES, "mod_mpm_prefork.so"), "apache2 prefork", "apache2");
        return bin;
    }

    static String config(Path dir, int port, int workers, int backlog, boolean deferAccept) {
        return "ServerRoot " + dir + "\n"
                + "ServerName 127.0.0.1\n"
                + "Listen 127.0.0.1:" + port + "\n"
                + "LoadModule mpm_prefork_module " + MODULES + "/mod_mpm_prefork.so\n"
                + "LoadModule authz_core_module " + MODULES + "/mod_authz_core.so\n"
                + "PidFile " + dir + "/logs/httpd.pid\n"
                + "ErrorLog " + dir + "/logs/error.log\n"
                + "LogLevel info\n"
                + "Mutex file:" + dir + "/logs\n"
                + "DocumentRoot " + dir + "/htdocs\n"
                + "User www-data\n"
                + "Group www-data\n"
                + "StartServers " + workers + "\n"
                + "MinSpareServers 1\n"
                + "MaxSpareServers " + workers + "\n"
                + "ServerLimit " + workers + "\n"
                + "MaxRequestWorkers " + workers + "\n"
                + "ListenBacklog " + backlog + "\n"
                + "KeepAlive On\n"
                + "KeepAliveTimeout 300\n"
                + "MaxKeepAliveRequests 0\n"
                + "Timeout 300\n"
                + (deferAccept ? "# AcceptFilter: the default (http data: TCP_DEFER_ACCEPT)\n" : "AcceptFilter http none\n");
    }

    /** Starts apache2 in the foreground in its own session and waits until its port accepts. */
    static ServerProcess start(Path dir, int workers, int backlog, boolean deferAccept) throws IOException {
        Path bin = assumeInstalled();
        ServerProcess.reachableByOthers(dir); // www-data must reach the docroot
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("htdocs"));
        Files.writeString(dir.resolve("htdocs/index.html"), "hello\n");
        int port = ServerProcess.freePort();
        Path conf = dir.resolve("httpd.conf");
        Files.writeString(conf, config(dir, port, workers, backlog, deferAccept));
        ServerProcess p = ServerProcess.start("apache2", dir, port, true,
                List.of(bin.toString(), "-f", conf.toString(), "-DFOREGROUND"));
        p.extraLogs.add(dir.resolve("logs/error.log"));
        if (deferAccept) {
            // a bare connect is never accepted under TCP_DEFER_ACCEPT: wait for the listener instead
            p.awaitCondition("a LISTEN socket on 127.0.0.1:" + port, () -> SocketStates.listening(port));
            // and for the children to exist (StartServers), so a request is answered at once
            p.awaitCondition(workers + " children", () -> p.process.toHandle().children().count() >= workers);
            return p;
        }
        p.awaitPort();
        p.awaitCondition(workers + " children", () -> p.process.toHandle().children().count() >= workers);
        // the readiness probe's connection accepted and gone and the accept queue empty, so a test's first
        // client finds every slot free (a run once lost its second SYN to a queue not yet drained)
        p.awaitNoConnections();
        p.awaitCondition("an empty accept queue on 127.0.0.1:" + port, () -> {
            int[] q = SocketStates.listenerQueue(port);
            return q != null && q[0] == 0;
        });
        return p;
    }
}
