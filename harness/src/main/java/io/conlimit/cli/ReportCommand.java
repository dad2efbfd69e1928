package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.report.ReportWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code conlimit report RESULTS_DIR...} and {@code conlimit report --compare A B}: the results as one HTML page. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Writes report.html into each results folder: one self-contained page (it opens offline, from a file, "
                + "in any current browser) with the run's plots: connect latency of every connection against its start "
                + "(the SYN-retransmit stripes), outcomes and arrival rate over time, the server's accept queue against its "
                + "backlog, held connections beside the server's socket census, the kernel's drop counters, the latency "
                + "percentiles, and the prediction beside the measurement. A sweep or find-limit folder gets the measured "
                + "limit against the theory, or each probe of the search and its knee.",
                "run, sweep, find-limit and lab run write it at the end already (unless --no-report).",
                "--compare A B writes one page with two runs overlaid and conlimit compare's rows.",
                "",
                "Exit codes: 0 ok, 2 a folder is not a results folder, 3 a page could not be written (a file unreadable)."})
public final class ReportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "RESULTS_DIR", arity = "1..*",
            description = "Run folders (holding run.json) or series folders (sweep.json, find-limit.json); with --compare, exactly two run folders.")
    List<Path> folders = new ArrayList<>();

    @Option(names = "--compare", description = "One page with the two run folders overlaid.")
    boolean compare;

    @Option(names = "--out", paramLabel = "FILE",
            description = "With --compare: the page's file (default compare-<A>-vs-<B>.html beside folder A).")
    Path out;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter e = spec.commandLine().getErr();
        try {
            if (compare) {
                if (folders.size() != 2) {
                    e.println("conlimit report: --compare takes exactly two run folders, got " + folders.size());
                    return ExitCodes.USAGE;
                }
                Path file = out != null ? out : ReportWriter.compareFile(folders.get(0), folders.get(1));
                return report(o, e, folders.get(0) + " and " + folders.get(1),
                        () -> ReportWriter.writeCompare(folders.get(0), folders.get(1), file));
            }
            if (out != null) {
                e.println("conlimit report: --out is for --compare; a folder's page is always FOLDER/" + ReportWriter.FILE);
                return ExitCodes.USAGE;
            }
            int worst = ExitCodes.OK;
            for (Path f : folders) {
                worst = Math.max(worst, report(o, e, f.toString(), () -> ReportWriter.write(f)));
            }
            return worst;
        } finally {
            o.flush();
            e.flush();
        }
    }

    private interface Writer {
        Path write() throws IOException;
    }

    private static int report(PrintWriter o, PrintWriter e, String what, Writer w) {
        try {
            o.println("report: " + w.write());
            return ExitCodes.OK;
        } catch (NoSuchFileException ex) {
            e.println("conlimit report: " + what + ": " + ex.getFile() + ": " + (ex.getReason() == null ? "missing" : ex.getReason()));
            return ExitCodes.USAGE;
        } catch (IOException | RuntimeException ex) {
            e.println("conlimit report: " + what + ": the page could not be written: " + ex.getMessage());
            return ExitCodes.RUN_INCOMPLETE;
        }
    }
}
