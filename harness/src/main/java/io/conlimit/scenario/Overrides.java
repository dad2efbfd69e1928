package io.conlimit.scenario;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies {@link SetOverride}s to a scenario's YAML node tree before validation. Every node an override
 * creates carries a mark named {@code --set PATH}, so that validation errors about it name the option
 * instead of a file position.
 */
final class Overrides {
    private Overrides() {
    }

    /** Applies all overrides in order; problems with an override's path or value are added to {@code problems}. */
    static Node apply(Node root, List<SetOverride> overrides, Problems problems) {
        Node cur = root;
        for (SetOverride o : overrides) {
            cur = applyOne(cur, o, problems);
        }
        return cur;
    }

    private static Node applyOne(Node root, SetOverride o, Problems problems) {
        List<OverridePath.Segment> segs;
        try {
            segs = OverridePath.resolveAliases(OverridePath.parse(o.path()), hasLab(root));
        } catch (IllegalArgumentException e) {
            problems.onArgument(o.origin(), null, e.getMessage(), "a path such as target.embedded.backlog or load[0].burst");
            return root;
        }
        Optional<Mark> mark = Optional.of(new Mark(o.origin(), 0, 0, 0, new int[0], 0));
        Node value;
        if (YamlText.tooDeep(o.value()).isPresent()) {
            problems.onArgument(o.origin(), null, "the value nests more than " + YamlText.MAX_DEPTH + " levels deep",
                    "a value such as 4096, 5s or [a, b]");
            return root;
        }
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(o.origin()).setMaxAliasesForCollections(50).build();
            value = new Compose(settings).composeString(o.value())
                    .orElseGet(() -> new ScalarNode(Tag.NULL, true, "", ScalarStyle.PLAIN, mark, mark));
        } catch (YamlEngineException e) {
            String why = e instanceof org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException me
                    ? (me.getContext() == null ? "" : me.getContext() + ": ") + me.getProblem()
                    : e.getMessage().lines().findFirst().orElse("");
            problems.onArgument(o.origin(), null, "'" + o.value() + "' is not a YAML value: " + why, "a value such as 4096, 5s or [a, b]");
            return root;
        }
        return new Setter(o, segs, value, mark, problems).set(root, 0);
    }

    private static boolean hasLab(Node root) {
        Node target = get(root, "target");
        return target != null && get(target, "lab") != null;
    }

    private static Node get(Node map, String key) {
        if (map instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    /** Walks the path, creating mappings where keys are missing, and puts the value at the end. */
    private record Setter(SetOverride o, List<OverridePath.Segment> segs, Node value, Optional<Mark> mark, Problems problems) {

        Node set(Node cur, int i) {
            if (i == segs.size()) {
                return value;
            }
            OverridePath.Segment seg = segs.get(i);
            String here = OverridePath.format(segs.subList(0, i));
            if (!seg.isIndex()) {
                MappingNode m;
                if (cur instanceof MappingNode mm) {
                    m = mm;
                } else if (Nodes.isNull(cur)) {
                    m = new MappingNode(Tag.MAP, true, new ArrayList<>(), FlowStyle.BLOCK, mark, mark);
                } else {
                    problems.onArgument(o.origin(), here, "cannot set '" + seg.key() + "' inside " + Nodes.describe(cur),
                            "a mapping at " + ScenarioError.displayPath(here));
                    return cur;
                }
                List<NodeTuple> tuples = new ArrayList<>(m.getValue());
                for (int t = 0; t < tuples.size(); t++) {
                    NodeTuple tuple = tuples.get(t);
                    if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(seg.key())) {
                        tuples.set(t, new NodeTuple(tuple.getKeyNode(), set(tuple.getValueNode(), i + 1)));
                        m.setValue(tuples);
                        return m;
                    }
                }
                tuples.add(new NodeTuple(new ScalarNode(Tag.STR, true, seg.key(), ScalarStyle.PLAIN, mark, mark), set(null, i + 1)));
                m.setValue(tuples);
                return m;
            }
            if (cur instanceof SequenceNode s) {
                List<Node> items = s.getValue();
                if (seg.index() < items.size()) {
                    items.set(seg.index(), set(items.get(seg.index()), i + 1));
                } else if (seg.index() == items.size()) {
                    items.add(set(null, i + 1));
                } else {
                    problems.onArgument(o.origin(), here, here + " has " + items.size() + (items.size() == 1 ? " item" : " items") + "; index " + seg.index()
                            + " is out of range", "an index 0.." + items.size() + "; " + items.size() + " appends an item");
                }
                return s;
            }
            if (Nodes.isNull(cur) && seg.index() == 0) {
                List<Node> items = new ArrayList<>();
                items.add(set(null, i + 1));
                return new SequenceNode(Tag.SEQ, true, items, FlowStyle.BLOCK, mark, mark);
            }
            if (Nodes.isNull(cur)) { // nothing there yet: only [0] can start the list
                problems.onArgument(o.origin(), here, here + " has no items; index " + seg.index() + " is out of range",
                        "index 0, which starts the list");
                return cur != null ? cur : new ScalarNode(Tag.NULL, true, "", ScalarStyle.PLAIN, mark, mark);
            }
            problems.onArgument(o.origin(), here, "cannot index " + Nodes.describe(cur) + " with [" + seg.index() + "]",
                    "a list at " + ScenarioError.displayPath(here));
            return cur;
        }
    }
}
