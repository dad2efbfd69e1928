package io.conlimit.cli;

import io.conlimit.run.RunSettings;
import io.conlimit.run.SeriesFolder;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options {@code sweep} and {@code find-limit} share: --set, where the folders go, the client's event loops. */
final class SeriesOptions {
    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Override one value of the scenario for every run, e.g. server.hold=1s (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "The series folder (default results/<UTC time>-<command>-<name>/).")
    Path out;

    @Option(names = "--results", paramLabel = "DIR", defaultValue = "results", description = "Where the series folder goes (default ${DEFAULT-VALUE}).")
    Path results;

    @Option(names = "--event-loops", paramLabel = "N", description = "Client event loops (default: one per processor).")
    Integer eventLoops;

    @Option(names = "--no-report", description = "Do not write report.html (the series' page and each run's).")
    boolean noReport;

    @Option(names = "--connections-cap", paramLabel = "N", defaultValue = "1000000",
            description = "At most N rows in each run's connections.csv (default ${DEFAULT-VALUE}).")
    int connectionsCap;

    /** Checks the numbers. @throws IllegalArgumentException naming the option */
    void check() {
        if (connectionsCap < 0) {
            throw new IllegalArgumentException("--connections-cap must be 0 or more, got " + connectionsCap);
        }
        if (eventLoops != null && (eventLoops < 1 || eventLoops > 256)) {
            throw new IllegalArgumentException("--event-loops must be 1..256, got " + eventLoops);
        }
    }

    /** The settings of one run of the series, recorded into {@code runDir}. */
    RunSettings settings(Path runDir, List<String> flags, PrintStream o, PrintStream e) {
        int loops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
        return new RunSettings(results, runDir, loops, 1_000_000L, connectionsCap, false, flags, o, e, System.console() != null);
    }

    /** A run folder's name inside the series folder: {@code 03-backlog=8-workers=4}. */
    static String runDirName(int index, String label) {
        return String.format("%02d-%s", index, SeriesFolder.sanitize(label.replace(' ', '-')));
    }
}
