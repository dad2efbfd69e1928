package io.conlimit.scenario;

import io.conlimit.cli.Main;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValidateCommandTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void validFile() {
        Run r = run("validate", "../scenarios/workers-plus-backlog.yaml");
        assertEquals(0, r.code(), r.err());
        assertEquals("../scenarios/workers-plus-backlog.yaml: valid (1 phase, 5 expectations)\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void labFileSaysItNeedsTheLab() {
        Run r = run("validate", "../scenarios/fail-fast.yaml");
        assertEquals(0, r.code(), r.err());
        assertEquals("../scenarios/fail-fast.yaml: valid (1 phase, 5 expectations)\n"
                + "../scenarios/fail-fast.yaml: its target is a namespace lab (target.lab): running it needs root\n", r.out());
    }

    @Test
    void everyErrorAndExitCode2() {
        Run r = run("validate", "src/test/resources/scenarios/errors/bad-duration.yaml", "--set", "load[0].rate.duration=10s");
        assertEquals(2, r.code());
        assertEquals("", r.out());
        String f = "src/test/resources/scenarios/errors/bad-duration.yaml";
        assertEquals(f + ":5:19: at target.embedded.accept-delay: '100 millis' is not a duration (expected a duration such as 250ms, 2s, 1.5s, 1m)\n"
                + f + ":7:20: at client.connect-timeout: '5 sec' is not a duration (expected a duration such as 250ms, 2s, 1.5s, 1m)\n"
                + f + ":8:9: at client.hold: 'sometimes' is not a duration (expected a duration such as 500ms, or until-end)\n"
                + f + ":11:12: at load[1].pause: '2x' is not a duration (expected a duration such as 250ms, 2s, 1.5s, 1m)\n"
                + f + ": invalid (4 errors)\n", r.err(), "the --set fixed load[0].rate.duration");
    }

    @Test
    void badSetSyntax() {
        Run r = run("validate", "../scenarios/quickstart.yaml", "--set", "server.backlog");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("--set server.backlog: no '=' in 'server.backlog' (expected path=value"), r.err());
    }

    @Test
    void sweepCellsAreEachValidated() {
        Run ok = run("validate", "../scenarios/quickstart.yaml", "--vary", "server.backlog=8,16", "--vary", "server.workers=1,2");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().endsWith("sweep of 4 cells, all valid: backlog=8 workers=1 | backlog=8 workers=2 | backlog=16 workers=1 | backlog=16 workers=2\n"), ok.out());
        Run bad = run("validate", "../scenarios/quickstart.yaml", "--vary", "server.workers=2,zero");
        assertEquals(2, bad.code());
        assertEquals("sweep cell workers=zero:\n"
                + "  --vary server.workers: at target.embedded.workers: 'zero' is not an integer (expected an integer >= 1)\n"
                + "../scenarios/quickstart.yaml: invalid (1 error)\n", bad.err());
    }

    @Test
    void missingFileArgumentIsAUsageError() {
        assertEquals(2, run("validate").code());
    }
}
