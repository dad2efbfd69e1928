package io.conlimit.docs;

import io.conlimit.lab.LabNetwork;
import io.conlimit.lab.LabProcess;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Every command README.md and docs/*.md show, run as written (see {@link DocBlocks} for what a command is and the
 * annotations), one dynamic test per block, named FILE:LINE, each in a fresh mirror of the repository
 * ({@link DocShell#mirror}) so that its results folders are new. A block is skipped, with the reason, when its
 * annotation says so, when it needs root or Docker and this machine has neither, or when the built jars are missing
 * or stale; a command already run as written by an earlier block is not run twice (the skip names where it ran).
 * docs/two-machines.md is TwoMachinesGuideTest's. {@code -Ddocs.list=true} only lists what would run.
 */
class DocCommandsTest {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    private static final boolean LIST = Boolean.getBoolean("docs.list");

    @TempDir
    Path dir;

    private final Map<String, String> alreadyRun = new LinkedHashMap<>();

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(DocShell.REPO.resolve("README.md")));
        try (Stream<Path> s = Files.list(DocShell.REPO.resolve("docs"))) {
            pages.addAll(s.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        }
        return pages;
    }

    @TestFactory
    Stream<DynamicTest> everyDocumentedCommandRunsAsWritten() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path page : pages()) {
            String name = page.getFileName().toString();
            if (name.equals("two-machines.md")) {
                tests.add(DynamicTest.dynamicTest(name, () -> abort("followed by TwoMachinesGuideTest, between two network namespaces")));
                continue;
            }
            for (DocBlocks.Block b : DocBlocks.read(page).blocks()) {
                if (!b.commands().isEmpty()) {
                    tests.add(DynamicTest.dynamicTest(name + ":" + b.line(), () -> run(name, b)));
                }
            }
        }
        assertTrue(tests.size() >= 20, "documented blocks found: " + tests.size());
        return tests.stream();
    }

    private void run(String page, DocBlocks.Block b) throws Exception {
        String where = page + ":" + b.line();
        if (b.annotation().containsKey("skip") && !b.annotation().containsKey("run")) {
            abort(where + " not run: " + b.get("skip", ""));
        }
        boolean root = "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim());
        String needs = b.get("needs", "");
        if (needs.equals("root")) {
            String why = LabNetwork.unavailableReason().orElse(null);
            if (why != null) {
                abort(where + " needs root and network namespaces: " + why);
            }
        }
        if (needs.equals("docker")) {
            dockerUnavailable().ifPresent(why -> abort(where + " needs Docker: " + why));
        }
        DocShell.jarsNotReady().ifPresent(why -> abort(where + ": " + why));
        if (LIST) {
            abort(where + " would run: " + b.commands());
        }
        Path home = DocShell.mirror(dir.resolve("l" + b.line() + "-" + page.replace('.', '-')));
        Map<String, String> env = new LinkedHashMap<>();
        Duration timeout = Duration.ofSeconds(Long.parseLong(b.get("timeout", Long.toString(DEFAULT_TIMEOUT.toSeconds()))));
        int bg = Integer.parseInt(b.get("background", "0"));
        List<LabProcess> background = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int ran = 0;
        try {
            for (int i = 0; i < b.commands().size(); i++) {
                String cmd = b.commands().get(i);
                String reason = b.skipReason(i);
                if (reason != null) {
                    skipped.add(cmd + " (" + reason + ")");
                    continue;
                }
                if (cmd.startsWith("export ")) {
                    String[] kv = cmd.substring("export ".length()).trim().split("=", 2);
                    env.put(kv[0], kv[1]);
                    continue;
                }
                String shell = root && cmd.startsWith("sudo ") ? cmd.substring("sudo ".length()) : cmd;
                if (i + 1 == bg) {
                    LabProcess p = LabProcess.start(where + " background", DocShell.bash(home, env, "exec " + shell),
                            line -> System.out.println("[" + where + " background] " + line));
                    background.add(p);
                    String ready = b.get("ready", "");
                    p.awaitLine(l -> l.startsWith(ready), Duration.ofSeconds(90));
                    continue;
                }
                String before = alreadyRun.get(cmd);
                if (before != null && bg == 0) {
                    skipped.add(cmd + " (already run as written at " + before + ")");
                    continue;
                }
                DocShell.Result r = DocShell.run(where, DocShell.bash(home, env, shell), timeout);
                assertEquals(b.exit(i), r.code(), where + ": " + cmd + " (exit " + r.code() + ", -1 = still running after "
                        + timeout.toSeconds() + " s)\n" + r.tail());
                alreadyRun.putIfAbsent(cmd, where);
                ran++;
            }
        } finally {
            background.forEach(LabProcess::close);
            DocShell.unmirror(home);
        }
        if (!skipped.isEmpty()) {
            System.out.println(where + ": ran " + ran + ", not run: " + skipped);
        }
        if (ran == 0) {
            abort(where + " not run: " + skipped);
        }
    }

    /** Why docker/ab.sh and the docs' docker commands cannot run here without a registry or minutes of building, or empty. */
    static Optional<String> dockerUnavailable() throws IOException, InterruptedException {
        Process info = new ProcessBuilder("docker", "info").redirectErrorStream(true).start();
        info.getInputStream().readAllBytes();
        if (info.waitFor() != 0) {
            return Optional.of("no Docker daemon answers (docker info failed)");
        }
        Process image = new ProcessBuilder("docker", "image", "inspect", "conlimit/jre17-base:bookworm").redirectErrorStream(true).start();
        image.getInputStream().readAllBytes();
        if (image.waitFor() != 0) {
            return Optional.of("the offline base image conlimit/jre17-base:bookworm is not built (docker/build-offline-base.sh, as .ci/run does)");
        }
        boolean compose = new ProcessBuilder("docker", "compose", "version").redirectErrorStream(true).start().waitFor() == 0
                || new ProcessBuilder("sh", "-c", "command -v docker-compose").redirectErrorStream(true).start().waitFor() == 0;
        return compose ? Optional.empty() : Optional.of("no Compose binary (apt-get install -y docker-compose)");
    }
}
