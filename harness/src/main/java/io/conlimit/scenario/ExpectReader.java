package io.conlimit.scenario;

import io.conlimit.expect.Expectation;
import io.conlimit.expect.ExpectationParser;
import io.conlimit.expect.ExpectationSyntaxException;
import io.conlimit.expect.MetricPath;
import io.conlimit.expect.Operand;
import io.conlimit.expect.SummaryShape;
import io.conlimit.plan.LoadPhase;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code expect:}, a list of expectation strings; a syntax error points at its column in the file, and so does a
 * path that no run of the scenario's load produces ({@link SummaryShape}).
 */
final class ExpectReader {
    private ExpectReader() {
    }

    /** @param load the scenario's load phases, or null when they are invalid (then paths are not checked) */
    static Optional<List<Expectation>> read(Problems p, String path, Node node, List<LoadPhase> load) {
        SummaryShape shape = load == null ? null : SummaryShape.of(load);
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
            ScalarNode s = (ScalarNode) item;
            Expectation e;
            try {
                e = ExpectationParser.parse(text.get());
            } catch (ExpectationSyntaxException x) {
                p.at(item.getStartMark(), column(s, x.offset()), itemPath, "'" + text.get().trim() + "': " + x.problem(), x.expected());
                continue;
            }
            if (shape != null && !checkPaths(p, itemPath, s, text.get(), e, shape)) {
                continue;
            }
            out.add(e);
        }
        return p.count() > before ? Optional.empty() : Optional.of(out);
    }

    /** Reports each path of {@code e} that the load never produces, at its column; false when there was one. */
    private static boolean checkPaths(Problems p, String itemPath, ScalarNode s, String raw, Expectation e, SummaryShape shape) {
        boolean ok = true;
        List<MetricPath> paths = new ArrayList<>(List.of(e.lhs()));
        if (e.rhs() instanceof Operand.Path rp) {
            paths.add(rp.path());
        }
        for (int i = 0; i < paths.size(); i++) {
            MetricPath m = paths.get(i);
            Optional<String> problem = shape.problem(m);
            if (problem.isPresent()) {
                int at = i == 0 ? raw.indexOf(m.written()) : raw.lastIndexOf(m.written());
                p.at(s.getStartMark(), column(s, Math.max(0, at)), itemPath, "'" + raw.trim() + "': " + problem.get(),
                        null);
                ok = false;
            }
        }
        return ok;
    }

    /** The column offset of character {@code offset} of the scalar's value in the file (0 when it spans lines). */
    private static int column(ScalarNode s, int offset) {
        boolean quoted = s.getScalarStyle() == ScalarStyle.SINGLE_QUOTED || s.getScalarStyle() == ScalarStyle.DOUBLE_QUOTED;
        boolean oneLine = s.getStartMark().isPresent() && s.getEndMark().isPresent()
                && s.getStartMark().get().getLine() == s.getEndMark().get().getLine();
        return oneLine ? offset + (quoted ? 1 : 0) : 0;
    }
}
