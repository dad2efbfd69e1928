package io.conlimit.lab;

import io.conlimit.kernel.Commands;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.utility.TestcontainersConfiguration;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Runs a Docker test class only where Testcontainers can work without a registry: a daemon answers, the
 * offline base image exists, and Ryuk and the startup-check image are either disabled/configured to local
 * images or present locally (as .ci/run arranges). Otherwise the class is skipped with the exact reason,
 * before Testcontainers tries (and hangs or fails) to pull anything.
 */
final class DockerLabCondition implements ExecutionCondition {
    /** The offline base (docker/build-offline-base.sh); CONLIMIT_BASE_IMAGE overrides. */
    static final String BASE_IMAGE = env("CONLIMIT_BASE_IMAGE", "conlimit/jre17-base:bookworm");
    /** The target image (docker/build-images.sh); CONLIMIT_TARGET_IMAGE overrides. */
    static final String TARGET_IMAGE = env("CONLIMIT_TARGET_IMAGE", "conlimit/target:dev");

    private static volatile Optional<String> cached;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> why = unavailableReason();
        return why.map(r -> ConditionEvaluationResult.disabled("Docker tests SKIPPED: " + r))
                .orElseGet(() -> ConditionEvaluationResult.enabled("Docker is available"));
    }

    static Optional<String> unavailableReason() {
        Optional<String> c = cached;
        if (c == null) {
            c = check();
            cached = c;
        }
        return c;
    }

    @SuppressWarnings("deprecation") // getRyukImage/getTinyImage: the very names Testcontainers would pull
    private static Optional<String> check() {
        if (!onPath("docker")) {
            return Optional.of("the docker command is not installed");
        }
        try {
            Commands.run(List.of("docker", "info", "--format", "{{.ServerVersion}}"), 60);
        } catch (IOException e) {
            return Optional.of("no Docker daemon answers: " + firstLine(e.getMessage()));
        }
        if (!imageExists(BASE_IMAGE)) {
            return Optional.of("image " + BASE_IMAGE + " is not built (docker/build-offline-base.sh)");
        }
        TestcontainersConfiguration tc = TestcontainersConfiguration.getInstance();
        if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED")) && !imageExists(tc.getRyukImage())) {
            return Optional.of("Testcontainers would pull " + tc.getRyukImage()
                    + ": set TESTCONTAINERS_RYUK_DISABLED=true where no registry is reachable (.ci/run does)");
        }
        if (!tc.isDisableChecks() && !imageExists(tc.getTinyImage())) {
            return Optional.of("Testcontainers would pull " + tc.getTinyImage()
                    + ": set TESTCONTAINERS_TINYIMAGE_CONTAINER_IMAGE=" + BASE_IMAGE + " (.ci/run does)");
        }
        return Optional.empty();
    }

    static boolean imageExists(String image) {
        try {
            Commands.run(List.of("docker", "image", "inspect", "--format", "{{.Id}}", image), 60);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.trim();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
