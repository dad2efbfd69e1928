package io.conlimit.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 17, item 6: a seeded generator of mutated scenario files, each run through the CLI's entry point in this JVM
 * ({@code conlimit validate FILE}, and with {@code --set} mutations), asserting what a user may see: exit 0 or 2
 * only, no stack trace, no Java class name, and every error located ({@code FILE:LINE:COLUMN: ...}, or
 * {@code FILE: cannot read the file: ...}). The seeds are the shipped scenarios; the mutations are what careless
 * editing and hostile files do (lines dropped, doubled, swapped, re-indented, cut short; YAML syntax, anchors,
 * tags, deep nesting, bytes that are not UTF-8, huge and negative numbers, absurd durations put in). Seeded: a
 * failure names its case and seed, and {@code -Dconlimit.fuzz.seed=S -Dconlimit.fuzz.cases=N} replays it
 * ({@code -Dconlimit.fuzz.all=true} prints every distinct failure and goes on; the test then asserts only the mix).
 * 3,000 cases take about 12 s on 2 cores (a fresh picocli command line, 2 ms, and the validation, 2 ms, each).
 */
class ScenarioFuzzTest {
    static final long SEED = Long.getLong("conlimit.fuzz.seed", 17L);
    static final int CASES = Integer.getInteger("conlimit.fuzz.cases", 3000);

    private static final String[] TOKENS = {
            "[", "]", "{", "}", ":", ": ", "- ", ",", "&a ", "*a", "*nope", "<<: *a\n", "!!binary ", "!!java.lang.Object ",
            "!!str ", "!!int ", "!!map ", "!custom ", "\t", "%YAML 1.1\n", "---\n", "...\n", "\"", "'", "#", "|\n", ">\n",
            "? ", "~", "null", "-1", "-5", "0", "1e309", "99999999999999999999", "0x10", "0o17", ".nan", ".inf", "-.inf",
            "\u0000", "\r", "\u00a0", "\ufeff", "true", "yes", "on", "2147483648", "-2147483649", "1000000000000h", "-5s",
            "1.5.5s", "5 s", "10/s", "0/s", "-3/s", "1e12/s", "100/s..", "..", "request:", "http:", "postgres:/",
            "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
            "{a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a: {a:",
            "held_max ==", "== ==", "limit.measured <", "phases.99.ok == 1", "outcomes.nope > 0", "connect_ms.p50 <= 5ms",
            "load[0].burst", "target.lab", "lab: {kind: netns}", "sysctls: {net.core.somaxconn: abc}",
            "sysctls: {kernel.panic: 1}", "embedded: {kind: event-loop}", "agent: 'x:y'", "host: ", "port: 70000",
            "burst: 2147483647", "rate: {per-second: 1e9, duration: 168h}", "hold: {gap: 0ms, max-held: 0}",
            "ramp: {from: 10/s, to: 1/s, duration: 1s, steps: -1}", "probe: {request: {send: '', expect-bytes: -1}}",
    };

    private static final String[] VALUES = {
            "0", "-1", "-5", "1", "2147483647", "2147483648", "9223372036854775807", "99999999999999999999999", "1e309",
            "0.5", "-0.0", ".nan", "abc", "''", "\"\"", "null", "~", "[]", "{}", "[1, 2]", "{a: 1}", "true", "1000000000000h",
            "-1s", "0s", "1ms", "168h", "169h", "10/s", "0/s", "-1/s", "1e12/s", "max", "default", "forever", "until-end",
            "blocking-pool", "thread-pool", "event-loop", "sleepy-accept", "connect", "banner", "http:/x", "request:a:-1",
            "'request:GET\\r\\n:\\r\\n'", "rst", "fin", "127.0.0.1", "256.1.1.1", "::1", "host.invalid", "*a", "&a 1",
            "!!binary aGVsbG8=", "'a: b'", "\"\\x00\"", "\"\\uD800\"",
    };

    private static final String[] SET_PATHS = {
            "server.backlog", "server.workers", "load[0].burst", "load[1].rate", "load[-1].burst", "client.connect-timeout",
            "client.probe", "target.host", "target.port", "expect", "expect[0]", "nope", "load[0]", "server", "target",
            "load[999].burst", "client.hold", "name", "load[0].hold.stop-after", "server.hold",
    };

    /** A located error: FILE:LINE:COLUMN: text, or FILE: cannot read the file: ... */
    private static Pattern located(Path file) {
        String f = Pattern.quote(file.toString());
        return Pattern.compile("^(?:" + f + ":\\d+:\\d+: .+|" + f + ": cannot read the file: .+|" + f + ": invalid \\(\\d+ errors?\\)"
                + "|--set .+)$");
    }

    @TempDir
    Path dir;

    @Test
    void mutatedScenariosExitZeroOrTwoWithLocatedPlainErrors() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("..", "scenarios"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                seeds.add(Files.readAllBytes(p));
            }
        }
        assertTrue(seeds.size() >= 5, "the shipped scenarios are the seeds");
        Random rnd = new Random(SEED);
        Path file = dir.resolve("fuzz.yaml");
        Pattern located = located(file);
        int exit0 = 0;
        int exit2 = 0;
        long t0 = System.nanoTime();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < CASES; i++) {
            byte[] bytes = seeds.get(rnd.nextInt(seeds.size()));
            int mutations = 1 + rnd.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                bytes = mutate(bytes, rnd);
            }
            Files.write(file, bytes);
            List<String> args = new ArrayList<>(List.of("validate", file.toString()));
            if (rnd.nextInt(5) == 0) {
                args.add("--set");
                args.add(SET_PATHS[rnd.nextInt(SET_PATHS.length)] + "=" + VALUES[rnd.nextInt(VALUES.length)]);
            }
            InProcessCli.Result r = InProcessCli.run(args.toArray(String[]::new));
            String why = null;
            if (r.code() != 0 && r.code() != 2) {
                why = "exit " + r.code();
            } else if (r.leak() != null) {
                why = r.leak();
            } else if (r.code() == 2) {
                for (String line : r.err().split("\n")) {
                    if (!line.isEmpty() && !located.matcher(line).matches()) {
                        why = "an error without its place: " + line;
                        break;
                    }
                }
            }
            if (why != null && Boolean.getBoolean("conlimit.fuzz.all")) {
                String sig = why.replaceAll("[0-9]+", "N") + " | " + r.all().replaceAll("[0-9]+", "N").lines().findFirst().orElse("");
                if (seen.add(sig) && seen.size() <= 40) {
                    System.out.println("FUZZ FAIL case " + i + ": " + why + " args=" + args + "\n" + r.all());
                }
                continue;
            }
            if (why != null) {
                fail("case " + i + " (seed " + SEED + "): " + why + "\nargs: " + args + "\nfile:\n"
                        + new String(bytes, StandardCharsets.UTF_8) + "\n--- output:\n" + r.all());
            }
            if (r.code() == 0) {
                exit0++;
            } else {
                exit2++;
            }
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("scenario fuzz: " + CASES + " cases (seed " + SEED + ") in " + ms + " ms: " + exit0 + " valid, "
                + exit2 + " invalid with located errors");
        assertTrue(exit0 > 0 && exit2 > 0, "the mutations make both valid and invalid files: " + exit0 + "/" + exit2);
    }

    static byte[] mutate(byte[] in, Random rnd) {
        String text = new String(in, StandardCharsets.ISO_8859_1); // byte-exact: every byte is one char
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int n = lines.size();
        switch (rnd.nextInt(11)) {
            case 0 -> lines.remove(rnd.nextInt(n)); // a line dropped
            case 1 -> lines.add(rnd.nextInt(n), lines.get(rnd.nextInt(n))); // a line doubled elsewhere
            case 2 -> { // two lines swapped
                int a = rnd.nextInt(n);
                int b = rnd.nextInt(n);
                String t = lines.get(a);
                lines.set(a, lines.get(b));
                lines.set(b, t);
            }
            case 3 -> { // re-indented
                int a = rnd.nextInt(n);
                lines.set(a, rnd.nextBoolean() ? " ".repeat(1 + rnd.nextInt(4)) + lines.get(a) : lines.get(a).stripLeading());
            }
            case 4, 5 -> { // a token put in anywhere
                int pos = rnd.nextInt(text.length() + 1);
                return bytes(text.substring(0, pos) + utf8(TOKENS[rnd.nextInt(TOKENS.length)]) + text.substring(pos));
            }
            case 6, 7 -> { // a value replaced: what follows the first ': ' of a line
                int a = rnd.nextInt(n);
                String l = lines.get(a);
                int colon = l.indexOf(": ");
                String v = utf8(VALUES[rnd.nextInt(VALUES.length)]);
                lines.set(a, colon < 0 ? l + (l.trim().startsWith("-") ? " " + v : ": " + v) : l.substring(0, colon + 2) + v);
            }
            case 8 -> { // cut short
                return bytes(text.substring(0, rnd.nextInt(text.length() + 1)));
            }
            case 9 -> { // a byte changed (often not UTF-8 any more)
                if (!text.isEmpty()) {
                    char[] c = text.toCharArray();
                    c[rnd.nextInt(c.length)] = (char) rnd.nextInt(256);
                    return bytes(new String(c));
                }
            }
            default -> { // a key renamed: a typo
                int a = rnd.nextInt(n);
                String l = lines.get(a);
                int colon = l.indexOf(':');
                if (colon > 1) {
                    int at = rnd.nextInt(colon);
                    lines.set(a, l.substring(0, at) + (char) ('a' + rnd.nextInt(26)) + l.substring(at + 1));
                }
            }
        }
        return bytes(String.join("\n", lines));
    }

    private static byte[] bytes(String iso) {
        return iso.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A token's UTF-8 bytes as ISO-8859-1 chars, so that it joins the byte-exact text. */
    private static String utf8(String token) {
        return new String(token.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
