package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.expect.Expectation;
import io.conlimit.expect.ExpectationReport;
import io.conlimit.expect.ExpectationSyntaxException;
import io.conlimit.results.CompareExpectations;
import io.conlimit.results.CompareVerdict;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code conlimit compare RESULTS_A RESULTS_B [--expect EXPR]... [--json]}: two run folders side by side, a verdict, a gate. */
@Command(name = "compare",
        mixinStandardHelpOptions = true,
        description = {"Prints two runs side by side from their results folders: outcomes, connect latency percentiles, "
                + "SYN retransmits, launch spread / held max, the server kernel's evidence (backlog seen, queue max seen, "
                + "drop counter deltas), consistency, the lab and the prediction. A key a run lacks prints as '-'. Then one "
                + "verdict line: which side's accept queue overflowed, how many clients waited for a SYN retransmit, the "
                + "binding limit.",
                "",
                "--expect checks the two runs like a scenario's expectations, each path starting with a. (RESULTS_A), b. "
                        + "(RESULTS_B) or b-a. (B minus A): --expect 'a.kernel.counters_delta.ListenOverflows > 0' "
                        + "--expect 'b-a.outcomes.connect-timeout <= -100' --expect 'b.connect.p99 < 500ms'.",
                "",
                "Exit codes: 0 ok (every expectation holds), 1 an expectation failed, 2 usage error (a folder that is "
                        + "not a results folder, an expectation that does not parse), 3 a compared run did not complete "
                        + "(no summary.json, or \"complete\": false)."})
public final class CompareCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RESULTS_A", description = "A run folder (the one holding run.json).")
    Path first;

    @Parameters(index = "1", paramLabel = "RESULTS_B", description = "Another run folder.")
    Path second;

    @Option(names = "--expect", paramLabel = "EXPR",
            description = "An expectation over both runs, e.g. 'b.kernel.backlog_seen == 4096' or 'b-a.outcomes.ok >= 100' (repeatable).")
    List<String> expect = new ArrayList<>();

    @Option(names = "--json", description = "Print the comparison as JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Expectation> expectations = new ArrayList<>();
        for (String e : expect) {
            try {
                expectations.add(CompareExpectations.parse(e));
            } catch (ExpectationSyntaxException x) {
                err.println("conlimit compare: --expect '" + e + "': " + x.problem() + " at column " + (x.offset() + 1)
                        + (x.expected() == null ? "" : " (expected " + x.expected() + ")"));
            }
        }
        if (expectations.size() < expect.size()) {
            err.flush();
            return ExitCodes.USAGE;
        }
        ResultsFolder a = load(first, err);
        ResultsFolder b = a == null ? null : load(second, err);
        if (a == null || b == null) {
            err.flush();
            return ExitCodes.USAGE;
        }
        RunComparison c = new RunComparison(a, b);
        String verdict = CompareVerdict.line(a, b);
        ExpectationReport report = ExpectationReport.evaluate(expectations, CompareExpectations.document(a, b));
        boolean complete = a.complete() && b.complete();
        if (json) {
            ObjectNode j = c.json();
            j.put("verdict", verdict);
            j.set("expectations", JSON.valueToTree(report.toJson()));
            j.put("exit_code", exitCode(report, complete));
            out.print(JSON.writeValueAsString(j) + System.lineSeparator());
        } else {
            out.print(c.table());
            out.println();
            out.println(verdict);
            if (!expectations.isEmpty()) {
                report.lines().forEach(out::println);
            }
        }
        out.flush();
        if (!complete) {
            err.println("conlimit compare: " + (a.complete() ? "" : first + " ") + (b.complete() ? "" : second + " ")
                    + "did not complete (exit 3): its numbers are what was recorded before it stopped");
            err.flush();
        }
        return exitCode(report, complete);
    }

    private static int exitCode(ExpectationReport report, boolean complete) {
        return !complete ? ExitCodes.RUN_INCOMPLETE : report.allPassed() ? ExitCodes.OK : ExitCodes.EXPECTATION_FAILED;
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
