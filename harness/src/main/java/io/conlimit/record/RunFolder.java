package io.conlimit.record;

import io.conlimit.results.ResultsLayout;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Chooses and creates a run's folder: {@code --out DIR}, or {@code <results root>/<UTC time>-<name>/}. */
final class RunFolder {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private RunFolder() {
    }

    static Path create(Path resultsRoot, Path outDir, String name, Instant now) throws IOException {
        if (outDir != null) {
            Files.createDirectories(outDir);
            if (Files.exists(outDir.resolve(ResultsLayout.RUN_JSON))) {
                throw new IOException("--out " + outDir + " already holds a run (" + ResultsLayout.RUN_JSON
                        + "): choose a new or empty folder");
            }
            return outDir;
        }
        Path root = resultsRoot == null ? Path.of("results") : resultsRoot;
        Files.createDirectories(root);
        String base = STAMP.format(now) + "-" + sanitize(name);
        for (int i = 1; ; i++) {
            Path candidate = root.resolve(i == 1 ? base : base + "-" + i);
            try {
                return Files.createDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                if (i >= 1000) {
                    throw new IOException("cannot create a run folder under " + root + ": " + base + "-1..1000 exist");
                }
            }
        }
    }

    /** Letters, digits, '.', '_' and '-' kept; runs of anything else become one '-'; at most 60 characters. */
    static String sanitize(String name) {
        String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]+", "-");
        s = s.replaceAll("^[-.]+", "").replaceAll("-+$", "");
        if (s.length() > 60) {
            s = s.substring(0, 60);
        }
        return s.isEmpty() ? "run" : s;
    }
}
