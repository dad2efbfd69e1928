package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.lab.LabRun;
import io.conlimit.run.RunSettings;
import io.conlimit.scenario.Scenario;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code conlimit run FILE} for a scenario whose target is a namespace lab ({@link Scenario#needsLab()}): the lab's
 * sysctls and server come from {@code target.lab}, and the client namespace runs {@code conlimit run FILE --target
 * 198.18.n.1:8080 --server-netns NS --out DIR} with the same {@code --set}s ({@code --target} replaces the lab, so
 * the child does not create one). See {@link LabRun} and docs/lab.md.
 */
final class LabScenarioRun {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private LabScenarioRun() {
    }

    /**
     * @param file       the scenario file
     * @param childFlags run flags for the child besides the lab's own (--set ..., --name, recording flags)
     * @return the client run's exit code; 2 without root; 3 when the lab or its server could not start
     */
    static int run(Scenario s, Path file, List<String> childFlags, RunSettings settings, Supplier<Optional<String>> unavailable,
                   boolean report) {
        Optional<String> why = unavailable.get();
        if (why.isPresent()) {
            settings.err().println("conlimit: " + s.name() + " needs the namespace lab (target.lab): " + why.get());
            return ExitCodes.USAGE;
        }
        Path dir = settings.outDir() != null ? settings.outDir()
                : settings.resultsRoot().resolve(STAMP.format(Instant.now()) + "-" + s.name());
        try {
            LabRun.Result r = LabRun.builder().fromScenarioLab(s.lab()).scenarioFile(file).runArgs(childFlags)
                    .outDir(dir).out(settings.out()).err(settings.err()).build().run();
            settings.out().println("lab: results in " + r.folder() + " (server: " + r.serverStartLine() + ")");
            ReportStep.write(r.folder(), report, settings.out(), settings.err()); // with the lab's section in the summary
            return r.exitCode();
        } catch (IllegalArgumentException e) {
            settings.err().println("conlimit run: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (IOException e) {
            settings.err().println("conlimit run: the lab could not run " + s.name() + ": " + e.getMessage());
            return ExitCodes.RUN_INCOMPLETE;
        }
    }

    /** The child's flags: every --set, --name, the recording flags as given, and --no-report (the lab writes the page). */
    static List<String> childFlags(List<String> sets, String name, int connectionsCap, boolean gzip, Integer eventLoops,
                                   String lateThreshold) {
        List<String> f = new ArrayList<>();
        for (String set : sets) {
            f.addAll(List.of("--set", set));
        }
        if (name != null) {
            f.addAll(List.of("--name", name));
        }
        f.addAll(List.of("--connections-cap", Integer.toString(connectionsCap), "--late-threshold", lateThreshold));
        if (gzip) {
            f.add("--gzip");
        }
        if (eventLoops != null) {
            f.addAll(List.of("--event-loops", eventLoops.toString()));
        }
        f.add("--no-report");
        return f;
    }
}
