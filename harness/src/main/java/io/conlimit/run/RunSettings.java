package io.conlimit.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * How the executor records and reports a run (everything besides the plan).
 *
 * @param resultsRoot        where run folders go when {@code outDir} is null
 * @param outDir             an explicit run folder, or null
 * @param eventLoops         fleet event loops
 * @param lateThresholdNanos a connect() later than this behind its intended start is a late start
 * @param connectionsCap     rows at most in connections.csv
 * @param gzip               connections.csv.gz
 * @param flags              the command line as given, for run.json
 * @param out                progress, summary
 * @param err                warnings, errors
 * @param interactive        out is a terminal
 */
public record RunSettings(Path resultsRoot, Path outDir, int eventLoops, long lateThresholdNanos, int connectionsCap,
                          boolean gzip, List<String> flags, PrintStream out, PrintStream err, boolean interactive) {
    public RunSettings {
        flags = List.copyOf(flags);
    }

    public RunSettings withOutDir(Path dir) {
        return new RunSettings(resultsRoot, dir, eventLoops, lateThresholdNanos, connectionsCap, gzip, flags, out, err, interactive);
    }
}
