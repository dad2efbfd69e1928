package io.conlimit.scenario;

import io.conlimit.expect.Expectation;
import io.conlimit.expect.ExpectationParser;
import io.conlimit.expect.ExpectationSyntaxException;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code expect:}, a list of expectation strings; a syntax error points at its column in the file. */
final class ExpectReader {
    private ExpectReader() {
    }

    static Optional<List<Expectation>> read(Problems p, String path, Node node) {
        if (Nodes.isNull(node)) {
            return Optional.of(List.of());
        }
        if (!(node instanceof SequenceNode seq)) {
            p.at(node, path, "got " + Nodes.describe(node), "a list of expectations, e.g. '- outcomes.connect-timeout == 0'");
            return Optional.empty();
        }
        int before = p.count();
        List<Expectation> out = new ArrayList<>();
        int i = 0;
        for (Node item : seq.getValue()) {
            String itemPath = Nodes.index(path, i++);
            Optional<String> text = Values.scalar(p, itemPath, item, "an expectation such as 'ok >= 990'");
            if (text.isEmpty()) {
                continue;
            }
            try {
                out.add(ExpectationParser.parse(text.get()));
            } catch (ExpectationSyntaxException e) {
                ScalarNode s = (ScalarNode) item;
                boolean quoted = s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED || s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED;
                boolean oneLine = s.getStartMark().isPresent() && s.getEndMark().isPresent()
                        && s.getStartMark().get().getLine() == s.getEndMark().get().getLine();
                int offset = oneLine ? e.offset() + (quoted ? 1 : 0) : 0;
                p.at(item.getStartMark(), offset, itemPath, "'" + text.get().trim() + "': " + e.problem(), e.expected());
            }
        }
        return p.count() > before ? Optional.empty() : Optional.of(out);
    }
}
