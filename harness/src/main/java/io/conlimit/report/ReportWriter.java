package io.conlimit.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.results.ResultsFolder;
import io.conlimit.results.ResultsLayout;
import io.conlimit.results.RunComparison;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes report.html, one self-contained page (docs/results.md#reporthtml): for a run folder, a sweep or find-limit
 * series folder, or two run folders compared. The page is written whole (a temporary file renamed over the old one).
 */
public final class ReportWriter {
    /** The page's name inside a run or series folder. */
    public static final String FILE = "report.html";

    private ReportWriter() {
    }

    /**
     * Writes {@code folder/report.html} for a run folder (run.json) or a series folder (sweep.json, find-limit.json).
     *
     * @return the page's path
     * @throws NoSuchFileException naming the folder when it is neither
     * @throws IOException         naming the file that could not be read or written
     */
    public static Path write(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "no such directory");
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("generator", "conlimit " + version());
        String title;
        String series = SeriesData.kind(folder);
        if (series != null) {
            data.put("kind", series);
            ObjectNode s = SeriesData.build(folder, series);
            data.set("series", s);
            title = series + " " + s.path("series").path("scenario").asText(folder.getFileName().toString());
        } else if (Files.exists(folder.resolve(ResultsLayout.RUN_JSON))) {
            data.put("kind", "run");
            ObjectNode r = RunData.build(folder);
            data.set("run", r);
            title = "run " + r.path("name").asText(folder.getFileName().toString());
        } else {
            throw new NoSuchFileException(folder.toString(), null,
                    "not a results folder: it holds no run.json, sweep.json or find-limit.json");
        }
        Path out = folder.resolve(FILE);
        writeWhole(out, Page.render("conlimit: " + title, data));
        return out;
    }

    /**
     * Writes one page with two runs overlaid and compared ({@code conlimit compare}'s rows, and its verdict when it
     * gives one).
     *
     * @return {@code out}
     */
    public static Path writeCompare(Path a, Path b, Path out) throws IOException {
        ResultsFolder fa = ResultsFolder.load(a);
        ResultsFolder fb = ResultsFolder.load(b);
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("generator", "conlimit " + version());
        data.put("kind", "compare");
        data.set("a", RunData.build(a));
        data.set("b", RunData.build(b));
        data.set("comparison", new RunComparison(fa, fb).json());
        writeWhole(out, Page.render("conlimit: compare " + fa.name() + " with " + fb.name(), data));
        return out;
    }

    /** The default file of a comparison: {@code compare-<A's folder>-vs-<B's folder>.html} beside folder A. */
    public static Path compareFile(Path a, Path b) {
        Path fa = a.toAbsolutePath().normalize();
        Path fb = b.toAbsolutePath().normalize();
        Path parent = fa.getParent() == null ? fa : fa.getParent();
        return parent.resolve("compare-" + fa.getFileName() + "-vs-" + fb.getFileName() + ".html");
    }

    private static void writeWhole(Path out, String page) throws IOException {
        Path tmp = out.resolveSibling("." + out.getFileName() + ".tmp");
        Files.writeString(tmp, page, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String version() {
        String v = ReportWriter.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
