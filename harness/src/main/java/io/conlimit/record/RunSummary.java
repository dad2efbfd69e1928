package io.conlimit.record;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A finished run: its folder and the content of its summary.json (the public contract, docs/results.md).
 */
public record RunSummary(Path folder, ObjectNode json) {

    /** Writes {@link #json()} back to summary.json atomically, after observers added their sections. */
    public void save() throws IOException {
        AtomicJson.write(folder.resolve("summary.json"), json);
    }
}
