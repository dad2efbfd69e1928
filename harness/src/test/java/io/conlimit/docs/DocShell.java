package io.conlimit.docs;

import io.conlimit.lab.LabProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs documented commands as a reader would: {@code bash -c} in a working directory, with the variables the page
 * exported. The client side's working directory is a mirror of the repository (a symbolic link to each top-level
 * entry, a fresh empty {@code results/}), so that the commands' relative paths hold and their results folders are
 * new every time.
 */
final class DocShell {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path HARNESS_JAR = REPO.resolve("harness/target/conlimit.jar");
    static final Path TARGET_JAR = REPO.resolve("target-servers/target/conlimit-target.jar");

    private DocShell() {
    }

    /** A fresh mirror of the repository in {@code dir}: links to everything but results/, which is new and empty. */
    static Path mirror(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(REPO)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (!name.equals("results") && !name.equals(".git")) {
                    Files.createSymbolicLink(dir.resolve(name), p);
                }
            }
        }
        Files.createDirectories(dir.resolve("results"));
        return dir;
    }

    /** Removes the links {@link #mirror} made (the rest of {@code dir} stays for the temporary directory's cleanup). */
    static void unmirror(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                if (Files.isSymbolicLink(p)) {
                    Files.delete(p);
                }
            }
        }
    }

    /**
     * Why the documented commands cannot run from the built jars now (a jar missing, or older than the sources:
     * ./conlimit would then build it in the middle of the test run), or empty.
     */
    static Optional<String> jarsNotReady() throws IOException {
        for (Path jar : List.of(HARNESS_JAR, TARGET_JAR)) {
            if (!Files.isRegularFile(jar)) {
                return Optional.of(jar + " is missing: run ./mvnw -B -DskipTests package first (.ci/run does)");
            }
            long built = Files.getLastModifiedTime(jar).toMillis();
            for (String src : List.of("harness/src/main", "target-servers/src/main", "pom.xml", "harness/pom.xml",
                    "target-servers/pom.xml")) {
                try (Stream<Path> s = Files.walk(REPO.resolve(src))) {
                    Optional<Path> newer = s.filter(Files::isRegularFile).filter(f -> {
                        try {
                            return Files.getLastModifiedTime(f).toMillis() > built;
                        } catch (IOException e) {
                            return true;
                        }
                    }).findFirst();
                    if (newer.isPresent()) {
                        return Optional.of(jar + " is older than " + newer.get() + ": run ./mvnw -B -DskipTests package first");
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** {@code env K=V... bash -c 'cd DIR && exec COMMAND'}: the command as a reader types it, in DIR. */
    static List<String> bash(Path dir, Map<String, String> env, String command) {
        List<String> c = new ArrayList<>(List.of("env"));
        env.forEach((k, v) -> c.add(k + "=" + v));
        c.addAll(List.of("bash", "-c", "cd '" + dir + "' && " + command));
        return c;
    }

    /** Runs to the end (at most {@code timeout}) and returns the exit code and output; kills it on the deadline. */
    static Result run(String label, List<String> command, Duration timeout) throws IOException {
        try (LabProcess p = LabProcess.start(label, command, line -> System.out.println("[" + label + "] " + line))) {
            int code = p.waitFor(timeout);
            return new Result(code, String.join("\n", p.lines()));
        }
    }

    /** The exit code (-1: still running at the deadline) and everything it printed. */
    record Result(int code, String output) {
        String tail() {
            String[] l = output.split("\n");
            return String.join("\n", java.util.Arrays.asList(l).subList(Math.max(0, l.length - 40), l.length));
        }
    }
}
