package io.conlimit.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.fleet.Outcome;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A run folder read back (for {@code report} and {@code compare}): run.json, summary.json when present,
 * and timeline.csv. A folder is complete only when summary.json exists and says {@code "complete": true}.
 *
 * @param folder   the run folder
 * @param run      run.json
 * @param summary  summary.json, empty when the run never got to write it (killed hard)
 * @param timeline timeline.csv rows, in order (a last line cut short by a crash is skipped)
 */
public record ResultsFolder(Path folder, ObjectNode run, Optional<ObjectNode> summary, List<TimelineRow> timeline) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ResultsFolder {
        timeline = List.copyOf(timeline);
    }

    /** @throws IOException naming the file that is missing or malformed */
    public static ResultsFolder load(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "not a run folder (no such directory)");
        }
        ObjectNode run = readObject(folder.resolve(ResultsLayout.RUN_JSON));
        Path summaryFile = folder.resolve(ResultsLayout.SUMMARY_JSON);
        Optional<ObjectNode> summary = Files.exists(summaryFile) ? Optional.of(readObject(summaryFile)) : Optional.empty();
        Path timelineFile = folder.resolve(ResultsLayout.TIMELINE_CSV);
        List<TimelineRow> timeline = Files.exists(timelineFile) ? readTimeline(timelineFile) : List.of();
        return new ResultsFolder(folder, run, summary, timeline);
    }

    /** summary.json exists and says the run completed. */
    public boolean complete() {
        return summary.map(s -> s.path("complete").asBoolean(false)).orElse(false);
    }

    public String name() {
        return run.path("name").asText("");
    }

    /** summary.json, or an exception naming the folder when the run never wrote it. */
    public ObjectNode requireSummary() throws IOException {
        return summary.orElseThrow(() -> new NoSuchFileException(folder.resolve(ResultsLayout.SUMMARY_JSON).toString(),
                null, "the run never wrote its summary (killed before it could finish)"));
    }

    /** An outcome count from summary.json (0 when there is no summary). */
    public long outcome(Outcome o) {
        return summary.map(s -> s.path("outcomes").path(o.key()).asLong(0)).orElse(0L);
    }

    /** A file of the folder, when it exists (e.g. {@link ResultsLayout#CONNECT_HLOG}). */
    public Optional<Path> file(String name) {
        Path p = folder.resolve(name);
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }

    /** connections.csv or connections.csv.gz, whichever the run wrote. */
    public Optional<Path> connectionsFile() {
        return file(ResultsLayout.CONNECTIONS_CSV).or(() -> file(ResultsLayout.CONNECTIONS_CSV_GZ));
    }

    private static ObjectNode readObject(Path file) throws IOException {
        JsonNode node;
        try (var in = Files.newInputStream(file)) {
            node = MAPPER.readTree(in);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new IOException(file + ": expected a JSON object");
        }
        return (ObjectNode) node;
    }

    static List<TimelineRow> readTimeline(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            return List.of();
        }
        List<String> header = List.of(lines.get(0).split(",", -1));
        for (String col : ResultsLayout.timelineColumns()) {
            if (!header.contains(col)) {
                throw new IOException(file + ": header lacks column '" + col + "'");
            }
        }
        List<TimelineRow> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != header.size()) {
                if (i == lines.size() - 1) {
                    break; // a last line cut short by a crash
                }
                throw new IOException(file + ": line " + (i + 1) + " has " + f.length + " fields, expected "
                        + header.size());
            }
            try {
                Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
                for (Outcome o : Outcome.values()) {
                    outcomes.put(o, Long.parseLong(f[header.indexOf(o.key())]));
                }
                rows.add(new TimelineRow(Double.parseDouble(f[header.indexOf("second")]),
                        Long.parseLong(f[header.indexOf("started")]), outcomes,
                        Long.parseLong(f[header.indexOf("in_flight")]),
                        Long.parseLong(f[header.indexOf("late_starts")]),
                        optional(f[header.indexOf("connect_p50_ms")]), optional(f[header.indexOf("connect_p99_ms")])));
            } catch (NumberFormatException e) {
                throw new IOException(file + ": line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return rows;
    }

    private static OptionalDouble optional(String s) {
        return s.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(s));
    }
}
