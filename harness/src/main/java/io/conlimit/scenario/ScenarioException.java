package io.conlimit.scenario;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A scenario that cannot run: every problem found, each with file, line, column and path. An
 * IllegalArgumentException, so the CLI maps it to exit code 2 (usage or configuration error).
 */
public final class ScenarioException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient List<ScenarioError> errors;

    public ScenarioException(List<ScenarioError> errors) {
        super(errors.stream().map(ScenarioError::format).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ScenarioException needs at least one error");
        }
    }

    public List<ScenarioError> errors() {
        return errors;
    }

    /** One formatted line per error, in the order found (document order, then command-line values). */
    public List<String> lines() {
        return errors.stream().map(ScenarioError::format).toList();
    }
}
