package io.conlimit.target.cli;

import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import io.conlimit.target.TargetServer;
import io.conlimit.target.TargetServers;
import io.conlimit.target.servers.StartLine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code serve <kind> [options]}: runs a target server until SIGINT/SIGTERM. Prints the start line and
 * its warnings, flushes, blocks; on the signal closes the server, prints one {@code stopped ...} line
 * and exits 0. Exit 2: a bad option or value, or the port is in use; 3: the server could not start
 * for another reason. See docs/serve.md.
 */
@Command(name = "serve",
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
                "Runs a target server whose concurrent-connection limit is known, until SIGINT/SIGTERM.",
                "Kinds and their limits: blocking-pool W+B+1, thread-pool W+Q+B+1, sleepy-accept 1/accept-delay "
                        + "per second, event-loop fds and memory (B = effective backlog).",
                "Prints one line: serving kind=.. address=.. workers=.. queue=.. backlog.requested=.. backlog.passed=.. "
                        + "backlog.effective=.. backlog.source=.. somaxconn=.. hold=.. stats=.., then 'warning: ' lines."},
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:stopped by SIGINT/SIGTERM", "2:bad option or value, or the port is in use",
                "3:the server could not start"})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<kind>", converter = Converters.Kind.class,
            description = "blocking-pool, thread-pool, sleepy-accept or event-loop")
    ServerKind kind;

    @Option(names = "--port", paramLabel = "N", defaultValue = "0",
            description = "Port to listen on; 0 = ephemeral (the bound port is printed). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}; any other address (e.g. 0.0.0.0) "
                    + "must be given explicitly")
    String bind;

    @Option(names = "--backlog", paramLabel = "N|max|default", defaultValue = "128", converter = Converters.Backlog.class,
            description = "listen() backlog: a number, max (Integer.MAX_VALUE: the kernel clamps to somaxconn) or "
                    + "default (Java's 50). Default: ${DEFAULT-VALUE}")
    BacklogRequest backlog;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "4",
            description = "Worker threads (blocking-pool, thread-pool); I/O threads for event-loop (0 = Netty's "
                    + "default); unused by sleepy-accept. Default: ${DEFAULT-VALUE}")
    int workers;

    @Option(names = "--queue", paramLabel = "Q", defaultValue = "0",
            description = "thread-pool only: the bounded hand-off queue between acceptor and workers. Default: ${DEFAULT-VALUE}")
    int queue;

    @Option(names = "--accept-delay", paramLabel = "D", defaultValue = "100ms", converter = Converters.Time.class,
            description = "sleepy-accept only: pause after each accept(), e.g. 250ms, 2s. Default: ${DEFAULT-VALUE}")
    Duration acceptDelay;

    @Option(names = "--hold", paramLabel = "D|exp:D|forever", defaultValue = "0s", converter = Converters.Hold.class,
            description = "How long each connection is held before the server closes it: fixed, exponential with "
                    + "mean D, or forever (until the peer closes). Default: ${DEFAULT-VALUE}")
    HoldSpec hold;

    @Option(names = "--banner", paramLabel = "TEXT", defaultValue = ServerConfig.DEFAULT_BANNER,
            description = "Sent on every accepted connection (followed by CRLF unless TEXT ends with a newline), so a "
                    + "client can tell a connection a worker took from one waiting in the accept queue. Default: ${DEFAULT-VALUE}")
    String banner;

    @Option(names = "--no-banner", description = "Send nothing on accept (the connection is then served silently)")
    boolean noBanner;

    @Option(names = "--echo", description = "Send each received line back")
    boolean echo;

    @Option(names = "--respond", paramLabel = "TEXT",
            description = "Answer each received line with TEXT (followed by CRLF unless TEXT ends with a newline)")
    String respond;

    @Option(names = "--stats-port", paramLabel = "N",
            description = "Serve GET /stats (JSON counters and backlog) on this port; 0 = ephemeral. Default: none")
    Integer statsPort;

    @Option(names = "--stats-bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "Address of the stats endpoint. Default: ${DEFAULT-VALUE}")
    String statsBind;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit")
    boolean help;

    private final boolean handleSignals;
    private final CountDownLatch stopRequest = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile TargetServer server;

    /** The command as the CLI runs it: SIGINT/SIGTERM stop it. */
    public ServeCommand() {
        this(true);
    }

    /**
     * @param handleSignals false for in-process use (tests): no signal handlers nor shutdown hook are
     *                      installed and only {@link #stop()} ends the command
     */
    public ServeCommand(boolean handleSignals) {
        this.handleSignals = handleSignals;
    }

    /** Asks a running serve to stop as SIGINT would: call() closes the server, prints the stopped line, returns 0. */
    public void stop() {
        stopRequest.countDown();
    }

    /** The running server, once its start line is printed; empty if it did not start within {@code timeout}. */
    public Optional<TargetServer> awaitStarted(Duration timeout) throws InterruptedException {
        started.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return Optional.ofNullable(server);
    }

    /** The configuration the options describe. @throws ParameterException naming the offending option */
    ServerConfig config() {
        try {
            ServerConfig.Builder b = ServerConfig.builder(kind)
                    .port(port).bind(bind).backlog(backlog).workers(workers).queue(queue)
                    .acceptDelay(acceptDelay).hold(hold).banner(noBanner ? null : banner).echo(echo).respond(respond)
                    .statsBind(statsBind);
            if (statsPort != null) {
                if (statsPort < 0) {
                    throw new IllegalArgumentException("--stats-port must be 0..65535, got " + statsPort);
                }
                b.statsPort(statsPort);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String me = spec.root().name();
        ServerConfig config = config();
        TargetServer s;
        try {
            s = TargetServers.start(config);
        } catch (BindException e) {
            err.println(me + ": " + e.getMessage());
            err.flush();
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println(me + ": cannot start " + config.kind() + " on " + config.bind() + ":" + config.port() + ": "
                    + io.conlimit.text.PlainErrors.message(e));
            err.flush();
            return 3;
        }
        server = s;
        Thread hook = null;
        Optional<String> signalProblem = Optional.empty();
        if (handleSignals) {
            signalProblem = Signals.onTermination(this::stop);
            hook = new Thread(() -> finish(s, out), "conlimit-serve-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        out.println(s.startLine());
        for (String w : s.warnings()) {
            out.println("warning: " + w);
        }
        for (String w : unusedOptions()) {
            out.println("warning: " + w);
        }
        signalProblem.ifPresent(w -> out.println("warning: " + w));
        for (String l : RemoteAddress.lines(s.address(), port, RemoteAddress.interfaceAddresses())) {
            out.println(l);
        }
        out.flush();
        started.countDown();
        awaitStopRequest();
        finish(s, out);
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting: the hook finds the work done
            }
        }
        return 0;
    }

    /** Options given on the command line that this kind does not use. */
    List<String> unusedOptions() {
        List<String> out = new ArrayList<>();
        CommandLine.ParseResult given = spec.commandLine().getParseResult();
        if (given == null) {
            return out;
        }
        if (kind == ServerKind.SLEEPY_ACCEPT && given.hasMatchedOption("--workers")) {
            out.add("--workers is not used by sleepy-accept: each connection gets a handler thread of its own");
        }
        if (kind != ServerKind.SLEEPY_ACCEPT && given.hasMatchedOption("--accept-delay")) {
            out.add("--accept-delay applies to sleepy-accept only: " + kind + " ignores it");
        }
        return out;
    }

    private void awaitStopRequest() {
        boolean interrupted = false;
        while (true) {
            try {
                stopRequest.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void finish(TargetServer s, PrintWriter out) {
        if (finished.compareAndSet(false, true)) {
            s.close();
            out.println(StartLine.stopped(s.config(), s.address(), s.stats()));
            out.flush();
        }
    }
}
