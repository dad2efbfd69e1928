package io.conlimit.cli;

import io.conlimit.report.ReportWriter;
import io.conlimit.results.ResultsLayout;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The last step of {@code run}, {@code sweep}, {@code find-limit} and {@code lab run} (unless --no-report): the
 * folder's report.html, its path printed. A page that cannot be written is said on stderr and changes no exit code:
 * the run's files are its results.
 */
final class ReportStep {
    private ReportStep() {
    }

    /** Writes {@code folder/report.html} when the folder holds a run or a series; null folder: nothing to report. */
    static void write(Path folder, boolean enabled, PrintStream o, PrintStream e) {
        if (!enabled || folder == null || !Files.isDirectory(folder)) {
            return;
        }
        try {
            o.println("report: " + ReportWriter.write(folder));
        } catch (IOException | RuntimeException ex) {
            e.println("conlimit: " + folder.resolve(ReportWriter.FILE) + " could not be written: " + ex.getMessage());
        }
    }

    /** Whether a run folder was created (it holds run.json). */
    static boolean ran(Path folder) {
        return folder != null && Files.exists(folder.resolve(ResultsLayout.RUN_JSON));
    }
}
