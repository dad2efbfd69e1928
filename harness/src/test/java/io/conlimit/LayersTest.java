package io.conlimit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The harness's packages in layers: a package may use (import, or name in full) only packages in layers below its
 * own, never one above, never another in its own layer. Lowest first:
 * <ol>
 * <li>{@code util}: exit codes, the build version, "did you mean" (imports no conlimit package)</li>
 * <li>{@code plan}: the load a run applies (what a scenario becomes)</li>
 * <li>{@code shard}: one shard's part of a plan; {@code evidence}: the server kernel's evidence (agent, census)</li>
 * <li>{@code fleet}: the client fleet that applies a plan and classifies each connection</li>
 * <li>{@code expect}: the expectation language, over the summary's shape (outcomes, phases)</li>
 * <li>{@code scenario}: scenario files read into a plan and expectations; {@code theory}: the prediction for a plan;
 *     {@code results}: the results folder's layout, reading and comparison (the contract between commands)</li>
 * <li>{@code record}: writes a run's results folder from the fleet's events</li>
 * <li>{@code report}: report.html from results folders; {@code lab}: network namespaces and their servers;
 *     {@code merge}: one results folder from a fleet's shard folders; {@code k8s}: the fleet's manifests</li>
 * <li>{@code run}: the orchestrator (scenario, plan, fleet, record, evidence, theory and expectations for one run)</li>
 * <li>{@code cli}: the picocli commands, on top</li>
 * </ol>
 * The data flow scenario -> plan -> fleet -> record -> results -> report runs through these layers: the model a
 * stage hands on (plan, the fleet's records, the results layout) sits below both the stage that makes it and the one
 * that reads it. The target-servers module's packages (kernel, target, text, json, agent) are below all of these
 * (Maven keeps them from importing the harness). README.md#layout says the same for readers.
 */
class LayersTest {
    static final List<Set<String>> LAYERS = List.of(
            Set.of("util"),
            Set.of("plan"),
            Set.of("shard", "evidence"),
            Set.of("fleet"),
            Set.of("expect"),
            Set.of("scenario", "theory", "results"),
            Set.of("record"),
            Set.of("report", "lab", "merge", "k8s"),
            Set.of("run"),
            Set.of("cli"));
    static final Set<String> TARGET_SERVERS = Set.of("kernel", "target", "text", "json", "agent");
    static final Path MAIN = Path.of("src/main/java/io/conlimit");
    private static final Pattern USE = Pattern.compile("\\bio\\.conlimit\\.([a-z0-9_]+)\\.");

    @Test
    void noPackageUsesOneAboveItOrBesideIt() throws IOException {
        List<String> offences = new ArrayList<>();
        for (Path file : javaFiles()) {
            String from = MAIN.relativize(file).getName(0).toString();
            String[] lines = code(Files.readString(file)).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = USE.matcher(lines[i]);
                while (m.find()) {
                    String to = m.group(1);
                    if (!allowed(from, to)) {
                        offences.add(file + ":" + (i + 1) + ": " + from + " (layer " + layer(from) + ") uses io.conlimit." + to
                                + " (layer " + layer(to) + "): " + lines[i].trim());
                    }
                }
            }
        }
        assertEquals(List.of(), offences, "imports up (or across) the layers listed in LayersTest");
    }

    @Test
    void everyPackageHasALayer() throws IOException {
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> s = Files.list(MAIN)) {
            s.filter(Files::isDirectory).forEach(d -> packages.add(d.getFileName().toString()));
        }
        List<String> unplaced = packages.stream().filter(p -> layer(p) < 0).toList();
        assertEquals(List.of(), unplaced, "packages of src/main with no layer in LayersTest.LAYERS: place them");
        assertTrue(packages.containsAll(Set.of("util", "plan", "fleet", "record", "results", "report", "run", "cli")));
    }

    @Test
    void theCheckCatchesAnImportUpTheLayers() {
        // the rule itself, on the imports this test exists to forbid
        assertTrue(!allowed("run", "cli") && !allowed("expect", "scenario") && !allowed("merge", "run"));
        assertTrue(!allowed("scenario", "theory") && !allowed("util", "plan"));
        assertTrue(allowed("cli", "run") && allowed("record", "results") && allowed("fleet", "kernel") && allowed("run", "run"));
        Matcher m = USE.matcher(code("import io.conlimit.cli.ExitCodes; // io.conlimit.report.X\n\"io.conlimit.lab.\""));
        assertTrue(m.find() && m.group(1).equals("cli") && !m.find(), "comments and strings are not uses");
    }

    static boolean allowed(String from, String to) {
        if (from.equals(to) || TARGET_SERVERS.contains(to)) {
            return true;
        }
        int f = layer(from);
        int t = layer(to);
        return f >= 0 && t >= 0 && t < f;
    }

    static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        return -1;
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> s = Files.walk(MAIN)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    /** Skips from {@code i} past the next {@code close} (after the 2-3 opening characters), keeping its newlines; returns the index after it. */
    private static int skip(String src, int i, String close, StringBuilder b) {
        int end = src.indexOf(close, i + (close.length() == 3 ? 3 : 2));
        end = end < 0 ? src.length() : end + close.length();
        for (int j = i; j < end; j++) {
            if (src.charAt(j) == '\n') {
                b.append('\n');
            }
        }
        return end;
    }

    /** The source with comments and string/char literals blanked (newlines kept, so line numbers hold). */
    static String code(String src) {
        StringBuilder b = new StringBuilder(src.length());
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                i = skip(src, i, "*/", b);
            } else if (src.startsWith("\"\"\"", i)) {
                i = skip(src, i, "\"\"\"", b);
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && src.charAt(i) != c && src.charAt(i) != '\n') {
                    i += src.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                b.append(c).append(c);
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }
}
