package io.conlimit.results;

import io.conlimit.fleet.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading run folders back, including ones a crash left behind. (Folders written by RunRecording: RunRecordingTest.) */
class ResultsFolderTest {
    private static final String HEADER = String.join(",", ResultsLayout.timelineColumns());

    @TempDir
    Path dir;

    @Test
    void loadsCompleteFolder() throws IOException {
        Files.writeString(dir.resolve("run.json"), "{\"name\":\"r1\",\"complete\":true}");
        Files.writeString(dir.resolve("summary.json"),
                "{\"complete\":true,\"connections\":3,\"outcomes\":{\"ok\":2,\"refused\":1}}");
        Files.writeString(dir.resolve("timeline.csv"), HEADER + "\n"
                + "1.000,3,2,0,0,0,1,0,0,0,0,0,1,0.050,0.090\n"
                + "2.001,0,0,0,0,0,0,0,0,0,0,0,0,,\n");
        Files.writeString(dir.resolve("connections.csv.gz"), "");
        ResultsFolder f = ResultsFolder.load(dir);
        assertTrue(f.complete());
        assertEquals("r1", f.name());
        assertEquals(2, f.outcome(Outcome.OK));
        assertEquals(0, f.outcome(Outcome.RESET));
        List<TimelineRow> rows = f.timeline();
        assertEquals(2, rows.size());
        assertEquals(1.0, rows.get(0).second());
        assertEquals(3, rows.get(0).started());
        assertEquals(1, rows.get(0).outcome(Outcome.REFUSED));
        assertEquals(3, rows.get(0).decided());
        assertEquals(1, rows.get(0).lateStarts());
        assertEquals(0.09, rows.get(0).connectP99Ms().orElseThrow());
        assertTrue(rows.get(1).connectP50Ms().isEmpty());
        assertEquals(dir.resolve("connections.csv.gz"), f.connectionsFile().orElseThrow());
        assertTrue(f.file(ResultsLayout.CONNECT_HLOG).isEmpty());
    }

    @Test
    void crashedFolderWithoutSummaryAndWithACutLine() throws IOException {
        Files.writeString(dir.resolve("run.json"), "{\"name\":\"r2\",\"complete\":false}");
        Files.writeString(dir.resolve("timeline.csv"), HEADER + "\n"
                + "1.000,3,2,0,0,0,1,0,0,0,0,0,1,0.050,0.090\n"
                + "2.001,5,5,0");
        ResultsFolder f = ResultsFolder.load(dir);
        assertFalse(f.complete());
        assertTrue(f.summary().isEmpty());
        assertEquals(1, f.timeline().size(), "the cut last line is skipped");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, f::requireSummary);
        assertTrue(e.getMessage().contains("summary.json"), e.getMessage());
    }

    @Test
    void clearErrors() throws IOException {
        assertThrows(NoSuchFileException.class, () -> ResultsFolder.load(dir.resolve("absent")));
        NoSuchFileException noRun = assertThrows(NoSuchFileException.class, () -> ResultsFolder.load(dir));
        assertTrue(noRun.getMessage().contains("run.json"), noRun.getMessage());
        Files.writeString(dir.resolve("run.json"), "{\"name\":");
        IOException bad = assertThrows(IOException.class, () -> ResultsFolder.load(dir));
        assertTrue(bad.getMessage().contains("run.json") && bad.getMessage().contains("not valid JSON"), bad.getMessage());
        Files.writeString(dir.resolve("run.json"), "{}");
        Files.writeString(dir.resolve("timeline.csv"), "second,started\n1.0,2\n");
        IOException cols = assertThrows(IOException.class, () -> ResultsFolder.load(dir));
        assertTrue(cols.getMessage().contains("timeline.csv") && cols.getMessage().contains("ok"), cols.getMessage());
    }
}
