package io.conlimit.scenario;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input the YAML parser must never see: deep nesting (its stack), bytes that are not UTF-8. Located errors, never Java ones. */
class YamlTextTest {
    @TempDir
    Path tmp;

    private static String messages(ScenarioException e) {
        return String.join("\n", e.lines());
    }

    @Test
    void aThousandBracketsAreALocatedErrorNotAStackOverflow() {
        String deep = "name: x\nload: " + "[".repeat(1000) + "\n";
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("deep.yaml", deep, List.of()));
        assertEquals("deep.yaml:2:71: collections nested more than 64 levels deep (expected a scenario (its deepest key is 4 levels down))",
                messages(e));
        String braces = "a: " + "{b: ".repeat(1000);
        assertTrue(messages(assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("b.yaml", braces, List.of())))
                .contains("nested more than 64 levels deep"));
        StringBuilder block = new StringBuilder("a:\n");
        for (int i = 1; i < 300; i++) {
            block.append("  ".repeat(i)).append("b").append(i).append(":\n");
        }
        assertTrue(messages(assertThrows(ScenarioException.class, () -> ScenarioLoader.parse("k.yaml", block.toString(), List.of())))
                .startsWith("k.yaml:66:"), "indentation nests too");
    }

    @Test
    void bracketsInsideQuotesOrCommentsAreText() {
        String many = "[".repeat(200);
        assertTrue(YamlText.tooDeep("banner: \"" + many + "\"\n").isEmpty());
        assertTrue(YamlText.tooDeep("banner: '" + many + "'\n").isEmpty());
        assertTrue(YamlText.tooDeep("a: 1 # " + many + "\n").isEmpty());
        assertTrue(YamlText.tooDeep("a: \"x\\\"" + many + "\"\n").isEmpty(), "an escaped quote does not end the string");
        assertArrayEquals(new int[] {1, 68}, YamlText.tooDeep("a: " + many).orElseThrow());
    }

    @Test
    void everyShippedScenarioIsFarFromTheLimits() throws IOException {
        try (var files = Files.list(Path.of("../scenarios"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                assertTrue(YamlText.tooDeep(Files.readString(f)).isEmpty(), f.toString());
            }
        }
    }

    @Test
    void bytesThatAreNotUtf8AreNamedWithTheirOffset() throws IOException {
        Path f = tmp.resolve("latin1.yaml");
        byte[] head = "name: x\ndescription: caf".getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xE9; // é in ISO-8859-1
        bytes[head.length + 1] = '\n';
        Files.write(f, bytes);
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(f, List.of()));
        assertEquals(f + ":2:17: not UTF-8: byte 0xE9 at byte offset 24 (expected a UTF-8 text file (save it as UTF-8))", messages(e));
    }
}
