package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.merge.Merge;
import io.conlimit.merge.MergeException;
import io.conlimit.run.MergedRunAnnotator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code conlimit merge}: one results folder from a fleet's shard folders. */
@Command(name = "merge",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
                "Builds one results folder from the folders of a fleet's shards (conlimit run --shard I/N, all N of them): "
                        + "outcomes summed, latency histograms merged (interval logs aligned on the earliest shard's start), "
                        + "connections.csv concatenated with a shard column, the server's kernel evidence taken once, the "
                        + "prediction made for the whole load and the scenario's expectations checked. report and compare "
                        + "read the merged folder as a single run's. See docs/fleet.md.",
                "",
                "Exit codes: 0 ok (every expectation holds), 1 an expectation failed, 2 the folders are not one fleet's "
                        + "complete shards (or --out is not new), 3 the merge could not complete (an I/O error)."
        })
public final class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "The shards' results folders (each index 0..N-1 once).")
    List<Path> folders;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "The merged results folder (new or empty).")
    Path out;

    @Option(names = "--no-report", description = "Do not write report.html into the merged folder.")
    boolean noReport;

    @Override
    public Integer call() {
        return call(System.out, System.err);
    }

    int call(PrintStream o, PrintStream e) {
        Merge.Result r;
        try {
            r = Merge.run(folders, out, MergedRunAnnotator.INSTANCE, o, e);
        } catch (MergeException ex) {
            e.println("conlimit merge: " + ex.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException | RuntimeException ex) {
            e.println("conlimit merge: could not complete: " + io.conlimit.text.PlainErrors.message(ex));
            return ExitCodes.RUN_INCOMPLETE;
        }
        ReportStep.write(r.folder(), !noReport, o, e);
        o.println(r.folder());
        return r.expectationsCode();
    }
}
