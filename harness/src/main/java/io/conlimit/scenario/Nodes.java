package io.conlimit.scenario;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Small helpers over snakeyaml-engine's node tree. */
final class Nodes {
    private Nodes() {
    }

    static boolean isNull(Node n) {
        return n == null || (n instanceof ScalarNode s && (Tag.NULL.equals(s.getTag()) && s.isPlain()
                && (s.getValue().isEmpty() || s.getValue().equals("~") || s.getValue().equals("null"))));
    }

    /** "a mapping", "a list", "the string 'x'", "nothing": what the user wrote, for error messages. */
    static String describe(Node n) {
        if (isNull(n)) {
            return "nothing";
        }
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        if (n instanceof ScalarNode s) {
            return "'" + s.getValue() + "'";
        }
        return "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    static String child(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    static String index(String path, int i) {
        return path + "[" + i + "]";
    }
}
