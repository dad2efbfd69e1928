package io.conlimit.scenario;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What is checked on a scenario's text before the YAML parser sees it, so that no input reaches the user as a
 * Java error: the bytes must be UTF-8 (else the first bad byte is named with its offset, line and column), and
 * collections may nest at most {@link #MAX_DEPTH} deep (the parser recurses per level: a thousand {@code [} would
 * overflow its stack).
 */
final class YamlText {
    /** Deeper than any scenario needs (the deepest key path is 4 levels), far below what overflows the parser. */
    static final int MAX_DEPTH = 64;
    /** The largest scenario file read; scenarios are a few kilobytes. */
    static final int MAX_BYTES = 1 << 20;

    private YamlText() {
    }

    /** The text of UTF-8 {@code bytes}; an error at the first byte that is not UTF-8 (or when the file is too big). */
    static String decode(String label, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw error(label, 1, 1, "the file is more than " + MAX_BYTES + " bytes, more than a scenario can be",
                    "a scenario file of a few kilobytes");
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int offset = in.position();
            String before = out.flip().toString();
            int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
            int column = before.length() - before.lastIndexOf('\n');
            throw error(label, line, column, String.format("not UTF-8: byte 0x%02X at byte offset %d", bytes[offset] & 0xff, offset),
                    "a UTF-8 text file (save it as UTF-8)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw error(label, 1, 1, "not UTF-8", "a UTF-8 text file");
        }
    }

    /**
     * Where flow collections ({@code [ ]}, {@code { }}) or block collections (by indentation, and the {@code - }
     * items of one line) first nest deeper than {@link #MAX_DEPTH}, as {line, column} (1-based); empty when they never do.
     * Quoted strings and comments are skipped; the count is conservative (it may see depth where YAML sees text, never
     * less than YAML does for brackets).
     */
    static Optional<int[]> tooDeep(String text) {
        int flow = 0;
        int line = 1;
        int column = 0;
        boolean lineStart = true;
        int blockDepth = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            column++;
            if (c == '\n') {
                line++;
                column = 0;
                lineStart = true;
                blockDepth = 0;
                continue;
            }
            if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    i++; // an escape in a double-quoted scalar
                    column++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            if (lineStart && (c == ' ' || c == '-')) {
                if (c == ' ') {
                    blockDepth++;
                } else {
                    blockDepth += 2; // "- " opens a sequence item: nested items on one line nest deeper
                }
                if (flow + blockDepth / 2 > MAX_DEPTH) {
                    return Optional.of(new int[] {line, column});
                }
                continue;
            }
            lineStart = false;
            if (c == '#' && (i == 0 || Character.isWhitespace(text.charAt(i - 1)))) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    i++;
                }
            } else if ((c == '"' || c == '\'') && startsScalar(text, i)) {
                quote = c;
            } else if (c == '[' || c == '{') {
                flow++;
                if (flow + blockDepth / 2 > MAX_DEPTH) {
                    return Optional.of(new int[] {line, column});
                }
            } else if ((c == ']' || c == '}') && flow > 0) {
                flow--;
            }
        }
        return Optional.empty();
    }

    /** Whether a quote at {@code i} opens a quoted scalar: it follows the line's start, ':', '-', '[', '{' or ','. */
    private static boolean startsScalar(String text, int i) {
        int j = i - 1;
        while (j >= 0 && text.charAt(j) == ' ') {
            j--;
        }
        return j < 0 || "\n:-[{,".indexOf(text.charAt(j)) >= 0;
    }

    /** The error for nesting deeper than {@link #MAX_DEPTH}, or none. */
    static void checkDepth(String label, String text) {
        tooDeep(text).ifPresent(at -> {
            throw error(label, at[0], at[1], "collections nested more than " + MAX_DEPTH + " levels deep",
                    "a scenario (its deepest key is 4 levels down)");
        });
    }

    private static ScenarioException error(String label, int line, int column, String what, String expected) {
        return new ScenarioException(java.util.List.of(new ScenarioError(label, line, column, null, what, expected)));
    }
}
