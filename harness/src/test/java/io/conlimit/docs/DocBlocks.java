package io.conlimit.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell commands a markdown page shows, block by block, with the annotations that say how to run them.
 * <p>
 * A <b>block</b> is a run of indented lines (4 spaces or more) or a fenced block whose language is a shell one
 * (none, sh, bash, console). Its <b>commands</b> are the lines whose first word (after {@code sudo} and
 * {@code NAME=VALUE} assignments) is a program a reader runs as written: {@code ./conlimit}, {@code java},
 * {@code ./mvnw}, a {@code docker/} script, {@code docker}, {@code docker-compose}, {@code ss}, {@code sysctl},
 * {@code export}, {@code scp}, {@code rm}; a line ending with a backslash continues on the next. A line starting
 * with a bare {@code conlimit} is a synopsis (placeholders in capitals, options in brackets), never run; so are
 * output lines.
 * <p>
 * An <b>annotation</b> is an HTML comment on the line just before a block: {@code <!-- test: KEY=VALUE ... -->},
 * values quoted with double quotes when they hold spaces. Keys: {@code skip="REASON"} (not run, reported as
 * skipped with the reason), {@code exit=N} or {@code exit=N,M,...} (each command's expected exit code, default
 * 0), {@code needs=root|docker}, {@code background=I} (the I-th command, from 1, starts in the background and runs
 * until the block's last command ends), {@code ready="PREFIX"} (a background command is ready when it prints a
 * line starting with PREFIX), {@code timeout=SECONDS} (per command, default 120), and for docs/two-machines.md
 * {@code machine=server|client}, {@code name=NAME} (names the background command) and {@code stop=NAME} (stops a
 * named background command first, as Ctrl-C would). {@code run=I,J} runs only those commands of the block (from 1) and
 * skips the others with the {@code skip} reason.
 */
record DocBlocks(Path file, List<Block> blocks) {
    static final Set<String> PROGRAMS = Set.of("./conlimit", "java", "./mvnw", "docker", "docker-compose", "ss", "sysctl",
            "export", "scp", "rm");
    private static final Set<String> SHELL_FENCES = Set.of("", "sh", "bash", "console", "shell");
    private static final Pattern ANNOTATION = Pattern.compile("^<!--\\s*test:(.*?)-->\\s*$");
    private static final Pattern KEY_VALUE = Pattern.compile("([a-z]+)(?:=(\"[^\"]*\"|\\S+))?");

    /** One block: where it starts (1-based line), its annotation (key to value; "" for a bare key) and its commands. */
    record Block(int line, Map<String, String> annotation, List<String> commands) {
        String get(String key, String otherwise) {
            return annotation.getOrDefault(key, otherwise);
        }

        /** Why command {@code i} (from 0) is not run, or null when it is. */
        String skipReason(int i) {
            String reason = annotation.get("skip");
            String run = annotation.get("run");
            if (reason == null) {
                return null;
            }
            if (run == null) {
                return reason;
            }
            for (String r : run.split(",")) {
                if (Integer.parseInt(r.trim()) == i + 1) {
                    return null;
                }
            }
            return reason;
        }

        /** The expected exit code of command {@code i} (from 0). */
        int exit(int i) {
            String e = annotation.get("exit");
            if (e == null) {
                return 0;
            }
            String[] codes = e.split(",");
            return Integer.parseInt(codes[Math.min(i, codes.length - 1)].trim());
        }
    }

    static DocBlocks read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Block> blocks = new ArrayList<>();
        Map<String, String> pending = null;
        int pendingLine = -2;
        int i = 0;
        while (i < lines.size()) {
            String l = lines.get(i);
            Matcher a = ANNOTATION.matcher(l.trim());
            if (a.matches()) {
                pending = parseAnnotation(a.group(1));
                pendingLine = i;
                i++;
                continue;
            }
            Map<String, String> ann = pendingLine == i - 1 ? pending : Map.of();
            String trimmed = l.trim();
            if (trimmed.startsWith("```")) {
                String lang = trimmed.substring(3).trim();
                int start = i;
                List<String> body = new ArrayList<>();
                i++;
                while (i < lines.size() && !lines.get(i).trim().startsWith("```")) {
                    body.add(lines.get(i));
                    i++;
                }
                i++; // closing fence
                if (SHELL_FENCES.contains(lang)) {
                    add(blocks, start + 1, ann, body);
                }
                continue;
            }
            if (l.startsWith("    ") && !trimmed.isEmpty()) {
                int start = i;
                List<String> body = new ArrayList<>();
                while (i < lines.size() && lines.get(i).startsWith("    ") && !lines.get(i).trim().isEmpty()) {
                    body.add(lines.get(i));
                    i++;
                }
                add(blocks, start + 1, ann, body);
                continue;
            }
            i++;
        }
        return new DocBlocks(file, blocks);
    }

    private static void add(List<Block> blocks, int line, Map<String, String> annotation, List<String> body) {
        List<String> commands = new ArrayList<>();
        StringBuilder cur = null;
        for (String raw : body) {
            String t = raw.trim();
            if (cur != null) {
                cur.append(' ').append(t.endsWith("\\") ? t.substring(0, t.length() - 1).trim() : t);
                if (!t.endsWith("\\")) {
                    commands.add(cur.toString());
                    cur = null;
                }
                continue;
            }
            if (!isCommand(t)) {
                continue;
            }
            if (t.endsWith("\\")) {
                cur = new StringBuilder(t.substring(0, t.length() - 1).trim());
            } else {
                commands.add(t);
            }
        }
        if (cur != null) {
            commands.add(cur.toString());
        }
        if (!commands.isEmpty() || !annotation.isEmpty()) {
            blocks.add(new Block(line, annotation, commands));
        }
    }

    /** Whether a line is a command a reader runs (not a synopsis, not output). */
    static boolean isCommand(String line) {
        String[] words = line.split("\\s+");
        int w = 0;
        while (w < words.length && (words[w].equals("sudo") || words[w].matches("[A-Z_][A-Z0-9_]*=\\S*"))) {
            w++;
        }
        if (w >= words.length) {
            return false;
        }
        String first = words[w];
        return PROGRAMS.contains(first) || first.startsWith("docker/");
    }

    static Map<String, String> parseAnnotation(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher kv = KEY_VALUE.matcher(text);
        while (kv.find()) {
            String v = kv.group(2) == null ? "" : kv.group(2);
            m.put(kv.group(1), v.startsWith("\"") ? v.substring(1, v.length() - 1) : v);
        }
        return m;
    }
}
