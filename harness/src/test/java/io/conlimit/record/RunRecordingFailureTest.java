package io.conlimit.record;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A recording that cannot write its results at the end says so in plain words: no Java class name reaches the user. */
class RunRecordingFailureTest {
    /** A qualified Java class name, or a bare exception or error class name. */
    private static final Pattern JAVA_NAME = Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z]\\w*|\\b\\w*(?:Exception|Error)\\b");

    @TempDir
    Path root;

    @Test
    void aFolderRemovedDuringTheRunIsReportedInPlainWords() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RunRecording rec = RunRecording.start(Synthetic.options(root, "vanishing", 1_000, false, out, false));
        Path folder = rec.folder();
        rec.phaseStarted(0, "synthetic burst");
        Synthetic.feed(rec, 0);
        // someone removes the results folder while the run goes on: summary.json can no longer be written
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        rec.close();

        String console = out.toString(StandardCharsets.UTF_8);
        String line = console.lines().filter(l -> l.startsWith("conlimit: could not finish the results in"))
                .findFirst().orElseThrow(() -> new AssertionError("no line about the failure in:\n" + console));
        assertTrue(line.contains(folder.toString()), line);
        assertTrue(line.endsWith(": no such file or directory"), line);
        assertFalse(JAVA_NAME.matcher(console).find(), "a Java class name reached the user:\n" + console);
    }
}
