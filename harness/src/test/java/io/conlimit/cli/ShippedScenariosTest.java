package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.scenario.ScenarioLoader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shipped scenario (scenarios/*.yaml) that does not need the namespace lab runs for real, against the
 * kernel, and its own expectations pass (exit 0); the lab ones too where the lab can run (root), else they are
 * refused with exit 2 saying why.
 */
class ShippedScenariosTest {
    static final Path SHIPPED = Path.of("../scenarios");

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyShippedScenarioPassesItsOwnExpectations() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(SHIPPED)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 7, "scenarios in " + SHIPPED.toAbsolutePath());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            boolean lab = ScenarioLoader.load(f, List.of()).needsLab();
            RunCommand cmd = new RunCommand();
            picocli.CommandLine cl = new picocli.CommandLine(cmd);
            Path out = tmp.resolve(f.getFileName().toString().replace(".yaml", ""));
            cl.parseArgs(f.toString(), "--out", out.toString());
            Capture o = new Capture();
            Capture e = new Capture();
            long t0 = System.nanoTime();
            int code = cmd.call(io.conlimit.run.EmbeddedTargetStarter.standard(), o.stream, e.stream);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (lab && io.conlimit.lab.LabNetwork.unavailableReason().isPresent()) {
                assertEquals(ExitCodes.USAGE, code, e.text());
                assertTrue(e.text().contains("needs the namespace lab (target.lab)"), e.text());
                assertTrue(!Files.exists(out.resolve("run.json")), "nothing ran");
            } else {
                assertEquals(ExitCodes.OK, code, () -> f + " failed its expectations:\n" + o.text() + e.text());
                assertTrue(o.text().contains("expectations: ") && o.text().contains(" 0 failed"), o.text());
                assertTrue(seconds < 30, f + " took " + seconds + " s");
            }
        }));
    }

    @Test
    void theDemonstrationsBurstRunPassesItsExpectations() {
        // the first demo run is quickstart.yaml itself, run above; the second is quickstart turned into a burst
        io.conlimit.scenario.Scenario burst = Demo.scenarios().get(1);
        assertEquals("quickstart-burst", burst.name());
        Capture o = new Capture();
        Capture e = new Capture();
        io.conlimit.run.RunSettings settings = new io.conlimit.run.RunSettings(tmp, tmp.resolve("demo-burst"), 2, 1_000_000L,
                1_000_000, false, List.of(), o.stream, e.stream, false);
        int code = new io.conlimit.run.ScenarioRunner(io.conlimit.run.EmbeddedTargetStarter.standard(),
                () -> List.of(new io.conlimit.run.EvidenceObserver(null, null))) // as the demo runs: the census checks the server side
                .run(burst, settings).exitCode();
        assertEquals(ExitCodes.OK, code, () -> o.text() + e.text());
    }

    @Test
    void theBundledQuickstartIsTheRepositoryFile() throws IOException {
        assertEquals(Files.readString(SHIPPED.resolve("quickstart.yaml")), Demo.quickstartYaml());
    }
}
