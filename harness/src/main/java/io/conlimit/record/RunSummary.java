package io.conlimit.record;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;

/**
 * A finished run: its folder and the content of its summary.json (the public contract, docs/results.md).
 */
public record RunSummary(Path folder, ObjectNode json) {
}
