package io.conlimit.scenario;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Collects every error found while reading a scenario, so that all of them are reported at once. */
final class Problems {
    private final String fileLabel;
    private final List<ScenarioError> errors = new ArrayList<>();

    Problems(String fileLabel) {
        this.fileLabel = fileLabel;
    }

    /** An error at {@code node}'s start (its file position, or the --set it came from). */
    void at(Node node, String path, String what, String expected) {
        at(node == null ? Optional.empty() : node.getStartMark(), 0, path, what, expected);
    }

    /** An error {@code columnOffset} characters after {@code mark} on the same line. */
    void at(Optional<Mark> mark, int columnOffset, String path, String what, String expected) {
        if (mark.isPresent()) {
            Mark m = mark.get();
            String origin = m.getName() == null ? fileLabel : m.getName();
            boolean fromSet = ScenarioError.isCommandLine(origin);
            errors.add(new ScenarioError(origin, fromSet ? 0 : m.getLine() + 1,
                    fromSet ? 0 : m.getColumn() + 1 + columnOffset, path, what, expected));
        } else {
            errors.add(new ScenarioError(fileLabel, 1, 1, path, what, expected));
        }
    }

    /** An error about a --set or --vary argument itself (no file position). */
    void onArgument(String origin, String path, String what, String expected) {
        errors.add(new ScenarioError(origin, 0, 0, path, what, expected));
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    /** File errors in document order (line, column), then command-line errors in the order found. */
    List<ScenarioError> errors() {
        List<ScenarioError> sorted = new ArrayList<>(errors);
        sorted.sort(java.util.Comparator.comparing((ScenarioError e) -> ScenarioError.isCommandLine(e.origin()))
                .thenComparing(e -> ScenarioError.isCommandLine(e.origin()) ? 0 : e.line())
                .thenComparing(e -> ScenarioError.isCommandLine(e.origin()) ? 0 : e.column()));
        return sorted;
    }

    int count() {
        return errors.size();
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            throw new ScenarioException(errors());
        }
    }
}
