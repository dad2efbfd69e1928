package io.conlimit.scenario;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/scenarios.md quotes error messages: each must be exactly what the golden tests produce. */
class DocsTest {
    @Test
    void quotedErrorMessagesAreTheGoldenOnes() throws IOException {
        String docs = Files.readString(Path.of("../docs/scenarios.md"));
        List<String> golden = new ArrayList<>();
        try (Stream<Path> s = Files.list(GoldenErrorsTest.DIR)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".expected")).toList()) {
                golden.addAll(Files.readAllLines(p));
            }
        }
        String errors = docs.substring(docs.indexOf("## Errors"), docs.indexOf("## Exit codes"));
        List<String> quoted = errors.lines().filter(l -> l.startsWith("    ") && (l.contains(".yaml:") || l.startsWith("    --set ")))
                .map(String::trim).filter(l -> !l.startsWith("--set PATH")).toList();
        assertTrue(quoted.size() >= 8, "the docs quote the golden messages: " + quoted);
        for (String q : quoted) {
            assertTrue(golden.contains(q), "docs/scenarios.md quotes a message no golden test produces: " + q);
        }
    }

    @Test
    void everyTopLevelKeyIsDocumented() throws IOException {
        String docs = Files.readString(Path.of("../docs/scenarios.md"));
        List<String> missing = new ArrayList<>();
        for (List<String> keys : List.of(ScenarioLoader.TOP_KEYS, TargetReader.TARGET_KEYS, TargetReader.EMBEDDED_KEYS,
                TargetReader.LAB_KEYS, ClientReader.CLIENT_KEYS, ClientReader.REQUEST_KEYS, ClientReader.HTTP_KEYS,
                LoadReader.PHASE_KINDS, LoadReader.RATE_KEYS, LoadReader.RAMP_KEYS, LoadReader.HOLD_KEYS)) {
            for (String k : keys) {
                if (!docs.contains("`" + k + "`") && !docs.contains(k + ":") && !docs.contains("." + k + "`")) {
                    missing.add(k);
                }
            }
        }
        assertEquals(List.of(), missing);
    }
}
