package io.conlimit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a series page shows: sweep.json or find-limit.json whole, and for each of its runs the relative link to
 * that run's own report.html (null when the run has none).
 */
final class SeriesData {
    static final String SWEEP_JSON = "sweep.json";
    static final String FIND_LIMIT_JSON = "find-limit.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SeriesData() {
    }

    /** The kind of a series folder ("sweep", "find-limit"), or null when it is not one. */
    static String kind(Path folder) {
        if (Files.exists(folder.resolve(SWEEP_JSON))) {
            return "sweep";
        }
        if (Files.exists(folder.resolve(FIND_LIMIT_JSON))) {
            return "find-limit";
        }
        return null;
    }

    static ObjectNode build(Path folder, String kind) throws IOException {
        Path file = folder.resolve(kind.equals("sweep") ? SWEEP_JSON : FIND_LIMIT_JSON);
        JsonNode series;
        try {
            series = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (series == null || !series.isObject()) {
            throw new IOException(file + ": expected a JSON object");
        }
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("folder", folder.toAbsolutePath().normalize().toString());
        d.put("file", file.getFileName().toString());
        d.set("series", series);
        ArrayNode links = d.putArray("links");
        for (JsonNode run : series.path(kind.equals("sweep") ? "cells" : "runs")) {
            String sub = run.path("folder").asText("");
            boolean has = !sub.isEmpty() && Files.exists(folder.resolve(sub).resolve(ReportWriter.FILE));
            if (has) {
                links.add(sub + "/" + ReportWriter.FILE);
            } else {
                links.addNull();
            }
        }
        return d;
    }
}
