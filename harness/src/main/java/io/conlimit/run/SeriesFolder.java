package io.conlimit.run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The folder of a series of runs ({@code sweep}, {@code find-limit}): {@code <results>/<UTC time>-<kind>-<name>/},
 * named like a run folder (docs/results.md), holding one run folder per run and the series' own files.
 */
public final class SeriesFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private SeriesFolder() {
    }

    /** Creates the folder: {@code out} itself when given (it must not hold a series yet), else a new one under {@code root}. */
    public static Path create(Path root, Path out, String kind, String name, String marker) throws IOException {
        if (out != null) {
            Files.createDirectories(out);
            if (Files.exists(out.resolve(marker))) {
                throw new IOException("--out " + out + " already holds " + marker + ": choose a new or empty folder");
            }
            return out;
        }
        Path r = root == null ? Path.of("results") : root;
        Files.createDirectories(r);
        String base = STAMP.format(Instant.now()) + "-" + sanitize(kind + "-" + name);
        for (int i = 1; i <= 1000; i++) {
            try {
                return Files.createDirectory(r.resolve(i == 1 ? base : base + "-" + i));
            } catch (FileAlreadyExistsException e) {
                // next suffix
            }
        }
        throw new IOException("cannot create a folder under " + r + ": " + base + "-1..1000 exist");
    }

    /** Letters, digits, '.', '_' and '-' kept; runs of anything else become one '-'; at most 60 characters. */
    public static String sanitize(String name) {
        String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9._-]+", "-");
        s = s.replaceAll("^[-.]+", "").replaceAll("-+$", "");
        if (s.length() > 60) {
            s = s.substring(0, 60);
        }
        return s.isEmpty() ? "run" : s;
    }
}
