package io.conlimit.scenario;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden tests: each src/test/resources/scenarios/errors/NAME.yaml yields exactly the lines of NAME.expected.
 * A first line {@code # args: --set a=b --set c=d} gives --set overrides. Regenerate after a deliberate
 * message change with {@code -Dgolden.update=true}, then review the diff.
 */
class GoldenErrorsTest {
    static final Path DIR = Path.of("src/test/resources/scenarios/errors");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @TestFactory
    Stream<DynamicTest> everyErrorFileYieldsItsDocumentedMessages() throws IOException {
        List<Path> inputs;
        try (Stream<Path> s = Files.list(DIR)) {
            inputs = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(inputs.isEmpty(), "no golden inputs under " + DIR.toAbsolutePath());
        return inputs.stream().map(in -> DynamicTest.dynamicTest(in.getFileName().toString(), () -> check(in)));
    }

    private static void check(Path input) throws IOException {
        String text = Files.readString(input, StandardCharsets.UTF_8);
        List<SetOverride> sets = new ArrayList<>();
        String first = text.lines().findFirst().orElse("");
        if (first.startsWith("# args:")) {
            for (String a : first.substring("# args:".length()).trim().split("\\s*--set\\s+")) {
                if (!a.isBlank()) {
                    sets.add(SetOverride.parse(SetOverride.SET, a.trim()));
                }
            }
        }
        String label = input.getFileName().toString();
        ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.parse(label, text, sets),
                label + " should be invalid");
        String actual = String.join("\n", e.lines()) + "\n";
        Path expectedFile = input.resolveSibling(label.replace(".yaml", ".expected"));
        if (UPDATE) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(expectedFile)) {
            fail("no " + expectedFile + "; the actual messages were:\n" + actual);
        }
        assertEquals(Files.readString(expectedFile, StandardCharsets.UTF_8), actual, label);
    }

    @Test
    void everyGoldenOutputHasItsInput() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            s.filter(p -> p.toString().endsWith(".expected")).forEach(p ->
                    assertEquals(true, Files.exists(p.resolveSibling(p.getFileName().toString().replace(".expected", ".yaml"))),
                            "orphan golden output " + p));
        }
        assertEquals(List.of(), Arrays.asList(new String[0]));
    }
}
