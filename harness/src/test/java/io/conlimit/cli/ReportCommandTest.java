package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conlimit report}, and report.html as the last step of {@code run} (a real small run on loopback). */
class ReportCommandTest {
    static final String HOLD = """
            name: small
            target:
              embedded: {kind: blocking-pool, workers: 1, backlog: 2, hold: forever}
            client:
              probe: banner
              connect-timeout: 400ms
              hold: until-end
            load:
              - hold: {gap: 5ms, max-held: 50, stop-after: 2}
            """;

    @TempDir
    Path tmp;

    private record Out(int code, String out, String err) {
    }

    private static Out report(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "report";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Out(cl.execute(all), out.toString(), err.toString());
    }

    private int run(Capture o, Capture e, String... args) {
        RunCommand cmd = new RunCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.call(io.conlimit.run.EmbeddedTargetStarter.standard(), o.stream, e.stream);
    }

    @Test
    void aRunEndsWithThePathOfItsReportAndNoReportWritesNone() throws IOException {
        Path file = tmp.resolve("small.yaml");
        Files.writeString(file, HOLD);
        Capture o = new Capture();
        Capture e = new Capture();
        Path folder = tmp.resolve("with");
        assertEquals(ExitCodes.OK, run(o, e, file.toString(), "--out", folder.toString()), e.text());
        List<String> lines = o.text().lines().toList();
        assertEquals("report: " + folder.resolve("report.html"), lines.get(lines.size() - 1), "the last line is the page's path");
        assertTrue(Files.size(folder.resolve("report.html")) > 50_000, "uPlot and the data are inside");

        Capture o2 = new Capture();
        Path bare = tmp.resolve("without");
        assertEquals(ExitCodes.OK, run(o2, new Capture(), file.toString(), "--out", bare.toString(), "--no-report"));
        assertFalse(Files.exists(bare.resolve("report.html")));
        assertFalse(o2.text().contains("report: "), o2.text());

        Out r = report(bare.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("report: " + bare.resolve("report.html"), r.out().strip());
        assertTrue(Files.exists(bare.resolve("report.html")));

        Path page = tmp.resolve("ab.html");
        Out c = report("--compare", folder.toString(), bare.toString(), "--out", page.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(Files.readString(page).contains("\"kind\":\"compare\""));
    }

    @Test
    void aFolderThatIsNotAResultsFolderIsExitTwoSayingWhy() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Out r = report(empty.toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("not a results folder: it holds no run.json, sweep.json or find-limit.json"), r.err());
        Out missing = report(tmp.resolve("nope").toString());
        assertEquals(ExitCodes.USAGE, missing.code());
        assertTrue(missing.err().contains("no such directory"), missing.err());
        assertFalse(missing.err().contains("Exception"), "no Java class name reaches the user: " + missing.err());
    }

    @Test
    void compareTakesExactlyTwoFoldersAndOutIsForCompare() {
        Out one = report("--compare", tmp.toString());
        assertEquals(ExitCodes.USAGE, one.code());
        assertTrue(one.err().contains("--compare takes exactly two run folders, got 1"), one.err());
        Out out = report(tmp.toString(), "--out", "x.html");
        assertEquals(ExitCodes.USAGE, out.code());
        assertTrue(out.err().contains("--out is for --compare"), out.err());
    }

    @Test
    void theLabsClientRunWritesNoPageTheLabWritesItWithItsSection() {
        LabRunCommand lab = new LabRunCommand();
        new CommandLine(lab).parseArgs("--serve", "blocking-pool", "--", "--burst", "5");
        assertEquals(List.of("--burst", "5", "--no-report"), lab.childRunFlags());
        assertTrue(LabScenarioRun.childFlags(List.of(), null, 10, false, null, "1ms").contains("--no-report"));
    }
}
