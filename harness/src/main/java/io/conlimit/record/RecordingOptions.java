package io.conlimit.record;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * How a run is recorded.
 *
 * @param resultsRoot       where run folders go ({@code results/}) when {@code outDir} is null
 * @param outDir            an explicit run folder ({@code --out DIR}), or null for {@code results/<UTC time>-<name>/}
 * @param runName           the run's name
 * @param inputs            what the run was asked to do (plan, flags), written to run.json
 * @param console           where progress and the summary table go
 * @param interactive       whether the console is a terminal (progress redrawn in place) or not (plain lines)
 * @param connectionsCap    at most this many rows in connections.csv (the rest are counted, not written)
 * @param gzipConnections   write connections.csv.gz instead of connections.csv
 * @param lateThresholdNanos a connect() call later than this behind its intended start counts as a late start
 * @param burstPhases       indices of burst phases: their connects share one intended instant (the release), so
 *                          they are measured by the launch spread and never counted as late starts
 */
public record RecordingOptions(Path resultsRoot, Path outDir, String runName, Map<String, Object> inputs,
                               PrintStream console, boolean interactive, int connectionsCap,
                               boolean gzipConnections, long lateThresholdNanos, Set<Integer> burstPhases) {
    public RecordingOptions {
        burstPhases = Set.copyOf(burstPhases);
    }

    /** Without burst phases. */
    public RecordingOptions(Path resultsRoot, Path outDir, String runName, Map<String, Object> inputs,
                            PrintStream console, boolean interactive, int connectionsCap,
                            boolean gzipConnections, long lateThresholdNanos) {
        this(resultsRoot, outDir, runName, inputs, console, interactive, connectionsCap, gzipConnections,
                lateThresholdNanos, Set.of());
    }
}
