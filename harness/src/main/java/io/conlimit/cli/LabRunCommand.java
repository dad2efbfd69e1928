package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.lab.LabNetwork;
import io.conlimit.lab.LabRun;
import io.conlimit.lab.LabServe;
import io.conlimit.lab.LabSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * {@code conlimit lab run [--server-sysctl K=V]... [--client-sysctl K=V]... --serve 'KIND OPTIONS' [--out DIR]
 * -- RUN FLAGS}: one {@code conlimit run} against a target server in a namespace lab ({@link LabRun}).
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Runs the target server in a server network namespace and `conlimit run` in a client namespace, "
                + "joined by a veth pair, each with its own sysctls (two simulated machines on this host), then removes "
                + "the lab. The server listens on its namespace's address port " + LabRun.SERVER_PORT + "; the run's "
                + "summary.json gets the server namespace's kernel evidence and a \"lab\" section; the server's output "
                + "is in " + LabRun.SERVER_LOG + ".",
                "",
                "Example: conlimit lab run --server-sysctl net.core.somaxconn=128 --serve 'blocking-pool --backlog max "
                        + "--workers 2 --hold 200ms' --out results/lab-128 -- --burst 600 --connect-timeout 3.5s",
                "",
                "Needs root. Exit codes: the run's (0 ok, 1 expectation failed, 2 usage, 3 incomplete); 2 without root; "
                        + "3 when the lab or its server could not start."})
public final class LabRunCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Option(names = "--server-sysctl", paramLabel = "K=V", description = "A net.* sysctl of the server namespace (repeatable).")
    Map<String, String> serverSysctls = new java.util.LinkedHashMap<>();

    @Option(names = "--client-sysctl", paramLabel = "K=V", description = "A net.* sysctl of the client namespace (repeatable).")
    Map<String, String> clientSysctls = new java.util.LinkedHashMap<>();

    @Option(names = "--serve", paramLabel = "'KIND OPTIONS'", required = true,
            description = "The target server as `serve` words, without --bind/--port, e.g. 'blocking-pool --backlog max --workers 2 --hold 200ms'.")
    String serve;

    @Option(names = "--out", paramLabel = "DIR", description = "Results folder (default results/<UTC time>-lab-<run id>/).")
    Path out;

    @Option(names = "--no-report", description = "Do not write report.html into the results folder.")
    boolean noReport;

    @Option(names = "--run-timeout", paramLabel = "D", defaultValue = "1h",
            description = "Stop the client run after this long (default ${DEFAULT-VALUE}).")
    String runTimeout;

    @Parameters(paramLabel = "RUN-FLAGS", description = "After --: conlimit run's load and client flags (not --target, --out, --agent, --server-netns).")
    List<String> runFlags = new ArrayList<>();

    private final Supplier<Optional<String>> unavailable;

    public LabRunCommand() {
        this(LabNetwork::unavailableReason);
    }

    /** With another availability check (tests: simulate a host without root). */
    public LabRunCommand(Supplier<Optional<String>> unavailable) {
        this.unavailable = unavailable;
    }

    @Override
    public Integer call() {
        return call(System.out, System.err);
    }

    /** The run flags for the client namespace, with --no-report: the page is written here, once the lab's section is in. */
    List<String> childRunFlags() {
        List<String> f = new ArrayList<>(runFlags);
        if (!f.contains("--no-report")) {
            f.add("--no-report");
        }
        return f;
    }

    int call(PrintStream o, PrintStream e) {
        LabRun run;
        try {
            LabSpec.Builder spec = LabSpec.builder().serverSysctls(serverSysctls).clientSysctls(clientSysctls);
            LabSpec s = spec.build();
            Path dir = out != null ? out : Path.of("results", STAMP.format(Instant.now()) + "-lab-" + s.runId());
            run = LabRun.builder().spec(s).serveArgs(LabServe.parse("--serve", serve)).runArgs(childRunFlags()).outDir(dir)
                    .runTimeout(FlagParsers.duration("--run-timeout", runTimeout)).out(o).err(e).build();
        } catch (IllegalArgumentException ex) {
            e.println("conlimit lab run: " + ex.getMessage());
            e.println("Try 'conlimit lab run --help' for more information.");
            return ExitCodes.USAGE;
        }
        Optional<String> why = unavailable.get();
        if (why.isPresent()) {
            e.println("conlimit: " + why.get());
            return ExitCodes.USAGE;
        }
        try {
            LabRun.Result r = run.run();
            o.println("lab: results in " + r.folder() + " (server: " + r.serverStartLine() + ")");
            ReportStep.write(r.folder(), !noReport, o, e); // after the lab's section was added to the summary
            return r.exitCode();
        } catch (IllegalArgumentException ex) {
            e.println("conlimit lab run: " + ex.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException ex) {
            e.println("conlimit lab run: " + ex.getMessage());
            return ExitCodes.RUN_INCOMPLETE;
        }
    }
}
