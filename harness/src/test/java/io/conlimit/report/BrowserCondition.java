package io.conlimit.report;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs a browser test class only where Debian's chromium and chromium-driver are installed (.ci/run installs them);
 * otherwise every test of the class is skipped with the reason. CONLIMIT_CHROMIUM and CONLIMIT_CHROMEDRIVER override
 * the paths.
 */
final class BrowserCondition implements ExecutionCondition {
    static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CONLIMIT_CHROMEDRIVER", "/usr/bin/chromedriver"));
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CONLIMIT_CHROMIUM", "/usr/bin/chromium"));

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = !Files.isExecutable(CHROMEDRIVER) ? CHROMEDRIVER + " is missing (apt-get install chromium-driver; .ci/run installs it)"
                : !Files.isExecutable(CHROMIUM) ? CHROMIUM + " is missing (apt-get install chromium; .ci/run installs it)" : null;
        return why == null ? ConditionEvaluationResult.enabled("chromium and chromedriver are installed")
                : ConditionEvaluationResult.disabled("browser tests SKIPPED: " + why);
    }
}
