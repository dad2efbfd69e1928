package io.conlimit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.conlimit.results.ResultsFolder;
import io.conlimit.results.RunComparison;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code conlimit compare RESULTS_A RESULTS_B [--json]}: two run folders side by side. */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        description = {"Prints two runs side by side from their results folders: outcomes, connect latency percentiles, "
                + "SYN retransmits, launch spread / held max, the server kernel's evidence (backlog seen, queue max seen, "
                + "drop counter deltas), consistency, the lab and the prediction. A key a run lacks prints as '-'.",
                "",
                "Exit codes: 0 ok, 2 when a folder is not a results folder (no readable run.json)."})
public final class CompareCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESULTS_A", description = "A run folder (the one holding run.json).")
    Path first;

    @Parameters(index = "1", paramLabel = "RESULTS_B", description = "Another run folder.")
    Path second;

    @Option(names = "--json", description = "Print the comparison as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ResultsFolder a = load(first, err);
        ResultsFolder b = a == null ? null : load(second, err);
        if (a == null || b == null) {
            err.flush();
            return ExitCodes.USAGE;
        }
        RunComparison c = new RunComparison(a, b);
        out.print(json ? JSON.writeValueAsString(c.json()) + System.lineSeparator() : c.table());
        out.flush();
        return ExitCodes.OK;
    }

    private static ResultsFolder load(Path folder, PrintWriter err) {
        try {
            return ResultsFolder.load(folder);
        } catch (NoSuchFileException e) {
            String what = e.getReason() == null ? "missing" : e.getReason();
            err.println("conlimit compare: " + folder + " is not a results folder: " + e.getFile() + " " + what
                    + " (a results folder is what conlimit run --out DIR writes; it holds run.json)");
        } catch (IOException e) {
            err.println("conlimit compare: " + folder + " is not a readable results folder: " + e.getMessage());
        }
        return null;
    }
}
