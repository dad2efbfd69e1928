package io.conlimit.scenario;

import io.conlimit.util.Suggest;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one YAML mapping against its list of valid keys: unknown keys (with a suggestion) and duplicate
 * keys are reported on construction; typed getters report type errors and return empty.
 */
final class MapReader {
    private final Problems problems;
    private final String path;
    private final Node node;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private MapReader(Problems problems, String path, Node node) {
        this.problems = problems;
        this.path = path;
        this.node = node;
    }

    /** Empty (after reporting) when {@code node} is not a mapping. A null node reads as an empty mapping. */
    static Optional<MapReader> of(Problems problems, String path, Node node, List<String> validKeys) {
        MapReader r = new MapReader(problems, path, node);
        if (Nodes.isNull(node)) {
            return Optional.of(r);
        }
        if (!(node instanceof MappingNode m)) {
            problems.at(node, path, "got " + Nodes.describe(node), "a mapping with keys " + String.join(", ", validKeys));
            return Optional.empty();
        }
        for (NodeTuple t : m.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode ks)) {
                problems.at(k, path, "a key must be a plain name, got " + Nodes.describe(k), null);
                continue;
            }
            String key = ks.getValue();
            String keyPath = Nodes.child(path, key);
            if (!validKeys.contains(key)) {
                Optional<String> near = Suggest.nearest(key, validKeys);
                if (near.isPresent()) {
                    problems.at(k, keyPath, "unknown key '" + key + "'; did you mean '" + near.get() + "'?", null);
                } else {
                    problems.at(k, keyPath, "unknown key '" + key + "'", "one of " + String.join(", ", validKeys));
                }
                continue;
            }
            NodeTuple first = r.entries.get(key);
            if (first != null) {
                int line = first.getKeyNode().getStartMark().map(mk -> mk.getLine() + 1).orElse(0);
                problems.at(k, keyPath, "duplicate key '" + key + "'" + (line > 0 ? " (first on line " + line + ")" : ""), null);
                continue;
            }
            r.entries.put(key, t);
        }
        return Optional.of(r);
    }

    String path() {
        return path;
    }

    Node node() {
        return node;
    }

    Problems problems() {
        return problems;
    }

    boolean has(String key) {
        return entries.containsKey(key) && !Nodes.isNull(entries.get(key).getValueNode());
    }

    /** Whether the key is written at all, even with an empty value. */
    boolean written(String key) {
        return entries.containsKey(key);
    }

    /** The value node, or null when absent. */
    Node value(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getValueNode();
    }

    /** The key node, or null when absent. */
    Node keyNode(String key) {
        NodeTuple t = entries.get(key);
        return t == null ? null : t.getKeyNode();
    }

    String pathOf(String key) {
        return Nodes.child(path, key);
    }

    Optional<String> string(String key) {
        return has(key) ? Values.string(problems, pathOf(key), value(key)) : Optional.empty();
    }

    Optional<Integer> integer(String key, long min, long max) {
        return has(key) ? Values.integer(problems, pathOf(key), value(key), min, max) : Optional.empty();
    }

    Optional<Double> number(String key, double min, boolean minExclusive) {
        return has(key) ? Values.number(problems, pathOf(key), value(key), min, minExclusive) : Optional.empty();
    }

    Optional<Boolean> bool(String key) {
        return has(key) ? Values.bool(problems, pathOf(key), value(key)) : Optional.empty();
    }

    Optional<java.time.Duration> duration(String key) {
        return has(key) ? Values.duration(problems, pathOf(key), value(key)) : Optional.empty();
    }

    /** Reports a missing required key at this mapping. */
    void missing(String key, String expected) {
        if (written(key)) {
            problems.at(keyNode(key), pathOf(key), "no value", expected);
        } else {
            problems.at(node, path, "missing key '" + key + "'", expected);
        }
    }

    /** Reports an error about this whole mapping. */
    void error(String what, String expected) {
        problems.at(node, path, what, expected);
    }
}
