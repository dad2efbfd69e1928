package io.conlimit.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.results.ResultsLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One shard's results folder, as {@code conlimit merge} reads it: its run.json and summary.json, its place in the
 * fleet (summary.json's {@code shard} section) and its epoch on the wall clock (run.json's {@code started_utc}, moved by
 * the shard's measured clock offset when it had an agent to measure against).
 */
record ShardFolder(Path folder, ObjectNode run, ObjectNode summary, int index, int count, long epochUnixNanos) {

    /** @throws MergeException naming the folder and what is missing */
    static ShardFolder load(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new MergeException(folder + ": not a folder (give the shards' results folders)");
        }
        ObjectNode run = json(folder, ResultsLayout.RUN_JSON);
        ObjectNode summary = json(folder, ResultsLayout.SUMMARY_JSON);
        if (!summary.path("complete").asBoolean(false)) {
            throw new MergeException(folder + ": the run did not complete (summary.json says complete: false): a merged result "
                    + "would miss its connections; run that shard again");
        }
        JsonNode shard = summary.get("shard");
        if (shard == null || !shard.isObject()) {
            throw new MergeException(folder + ": not a shard (summary.json has no \"shard\" section): run it with "
                    + "conlimit run --shard I/N");
        }
        long epoch;
        try {
            Instant started = Instant.parse(run.path("started_utc").asText(""));
            epoch = started.getEpochSecond() * 1_000_000_000L + started.getNano();
        } catch (DateTimeParseException e) {
            throw new MergeException(folder + "/run.json: started_utc is not an instant: '" + run.path("started_utc").asText("") + "'");
        }
        JsonNode offset = shard.path("clock").path("offset_ms");
        if (offset.isNumber()) { // the shard's clock against the agent's: its records on the reference clock
            epoch += Math.round(offset.asDouble() * 1e6);
        }
        return new ShardFolder(folder, run, summary, shard.path("index").asInt(-1), shard.path("count").asInt(-1), epoch);
    }

    JsonNode shard() {
        return summary.get("shard");
    }

    private static ObjectNode json(Path folder, String name) {
        Path f = folder.resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new MergeException(folder + ": no " + name + " (not a results folder of conlimit run)");
        }
        try {
            JsonNode n = new ObjectMapper().readTree(f.toFile());
            if (n == null || !n.isObject()) {
                throw new MergeException(f + ": not a JSON object");
            }
            return (ObjectNode) n;
        } catch (IOException e) {
            throw new MergeException(f + ": not readable JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
