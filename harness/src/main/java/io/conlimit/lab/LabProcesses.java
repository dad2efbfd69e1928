package io.conlimit.lab;

import io.conlimit.util.ClientJvm;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Commands for the lab's child processes. A JVM cannot move itself into another network namespace, so
 * the lab starts the target server in the server namespace and re-executes conlimit in the client
 * namespace, both with this JVM's own java binary and class path (the conlimit jar contains the target
 * servers). Prefix them with {@link LabNetwork#execInServer}/{@link LabNetwork#execInClient}, or start
 * them with {@link LabNetwork#startInServer}/{@link LabNetwork#startInClient}.
 */
public final class LabProcesses {
    /** The target server's main class (module conlimit-target). */
    public static final String TARGET_MAIN = "io.conlimit.target.cli.TargetMain";
    /** conlimit's own main class. */
    public static final String CONLIMIT_MAIN = "io.conlimit.cli.Main";

    /** The target server's start line: {@code serving kind=... address=... backlog.effective=N ... somaxconn=N ...}. */
    public static final Predicate<String> TARGET_START_LINE = line -> line.startsWith("serving ");

    private LabProcesses() {
    }

    /** {@code <this java> -cp <this class path> mainClass args...}. */
    public static List<String> javaCommand(String mainClass, List<String> args) {
        return javaCommand(List.of(), mainClass, args);
    }

    /** {@code <this java> jvmOptions... -cp <this class path> mainClass args...}. */
    public static List<String> javaCommand(List<String> jvmOptions, String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(absoluteClassPath(System.getProperty("java.class.path")));
        cmd.add(mainClass);
        cmd.addAll(args);
        return Collections.unmodifiableList(cmd);
    }

    /** Each entry made absolute, so that the child does not depend on its working directory. */
    static String absoluteClassPath(String classPath) {
        List<String> out = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                out.add(Path.of(entry).toAbsolutePath().normalize().toString());
            }
        }
        return String.join(File.pathSeparator, out);
    }

    /** The target server: e.g. {@code targetServerCommand(List.of("serve", "blocking-pool", "--bind", addr, ...))}. */
    public static List<String> targetServerCommand(List<String> targetArgs) {
        return javaCommand(TARGET_MAIN, targetArgs);
    }

    /** conlimit itself, e.g. the client fleet re-executed in the client namespace, with the client's JVM options. */
    public static List<String> conlimitCommand(List<String> conlimitArgs) {
        return javaCommand(ClientJvm.OPTIONS, CONLIMIT_MAIN, conlimitArgs);
    }

    /**
     * The {@code key=value} words of a line, in order (words without '=' are skipped), e.g. a start line's
     * {@code backlog.effective} and {@code somaxconn}.
     */
    public static Map<String, String> keyValues(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String word : line.trim().split("\\s+")) {
            int eq = word.indexOf('=');
            if (eq > 0) {
                out.put(word.substring(0, eq), word.substring(eq + 1));
            }
        }
        return out;
    }
}
