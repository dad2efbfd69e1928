package io.conlimit.docs;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./conlimit} launcher's class-data archive: it works without one (switched off, or a stale or broken
 * file in its place, with no JVM warning in the output), and the first {@code run} records one that later starts
 * map. Each test runs a copy of the launcher beside a copy of the built jar, so the repository's own archive is
 * never touched.
 */
@Timeout(180)
class LauncherTest {
    @TempDir
    Path dir;

    private Path launcher;
    private Path target;

    @BeforeEach
    void copyLauncherAndJar() throws IOException {
        Optional<String> notReady = DocShell.jarsNotReady();
        Assumptions.assumeTrue(notReady.isEmpty(), () -> notReady.get());
        launcher = dir.resolve("conlimit");
        Files.copy(DocShell.REPO.resolve("conlimit"), launcher);
        assertTrue(launcher.toFile().setExecutable(true));
        target = Files.createDirectories(dir.resolve("harness/target"));
        Files.copy(DocShell.HARNESS_JAR, target.resolve("conlimit.jar")); // its sources are absent: never stale here
    }

    private DocShell.Result launch(Map<String, String> env, String args) throws IOException {
        return DocShell.run("launcher", DocShell.bash(dir, env, "./conlimit " + args + " 2>&1"), Duration.ofSeconds(150));
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> s = Files.list(target)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    private static void assertVersionOnly(DocShell.Result r) {
        assertEquals(0, r.code(), r.output());
        assertTrue(r.output().startsWith("conlimit "), "the version first, nothing from the JVM before it: " + r.output());
        assertFalse(r.output().contains("[warning]") || r.output().contains("[cds"), "no JVM archive warning: " + r.output());
    }

    @Test
    void runsWithoutAnArchiveWhenSwitchedOff() throws Exception {
        assertVersionOnly(launch(Map.of("CONLIMIT_CDS", "0"), "--version"));
        DocShell.Result r = launch(Map.of("CONLIMIT_CDS", "0"), "run --burst 1 --no-report --out '" + dir.resolve("r0") + "'");
        assertEquals(0, r.code(), r.output());
        assertEquals(List.of(), archives(), "switched off: no archive recorded");
    }

    @Test
    void aBrokenArchiveIsIgnoredSilently() throws Exception {
        DocShell.Result id = DocShell.run("java-id", DocShell.bash(dir, Map.of(),
                "printf '%s' \"$(readlink -f \"$(command -v java)\")\" | cksum | cut -d' ' -f1"), Duration.ofSeconds(10));
        Path broken = target.resolve("conlimit-" + id.output().trim() + ".jsa");
        Files.writeString(broken, "not a class-data archive", StandardCharsets.US_ASCII);
        assertVersionOnly(launch(Map.of(), "--version"));
    }

    @Test
    void theFirstRunRecordsAnArchiveThatLaterStartsMap() throws Exception {
        assertVersionOnly(launch(Map.of(), "--version")); // not a run: nothing recorded yet
        assertEquals(List.of(), archives());
        DocShell.Result r = launch(Map.of(), "run --burst 1 --no-report --out '" + dir.resolve("r1") + "'");
        assertEquals(0, r.code(), r.output());
        assertEquals(1, archives().size(), "recorded by the first run: " + r.output());
        assertTrue(Files.size(archives().get(0)) > 1_000_000, "an archive of the run's classes");
        DocShell.Result mapped = launch(Map.of("CONLIMIT_JAVA_OPTS", "-Xlog:class+load=info"), "--version");
        assertEquals(0, mapped.code(), mapped.output());
        assertTrue(mapped.output().contains("source: shared objects file (top)"),
                "the launcher's own classes come from the recorded archive");
        assertVersionOnly(launch(Map.of(), "--version"));
    }
}
