package io.conlimit.scenario;

import io.conlimit.util.Suggest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SmallPartsTest {
    @Test
    void levenshtein() {
        assertEquals(1, Suggest.levenshtein("wokers", "workers"));
        assertEquals(3, Suggest.levenshtein("kitten", "sitting"));
        assertEquals(0, Suggest.levenshtein("", ""));
        assertEquals(4, Suggest.levenshtein("", "abcd"));
    }

    @Test
    void nearestOnlyWhenNear() {
        List<String> keys = List.of("kind", "port", "workers", "accept-delay");
        assertEquals(Optional.of("workers"), Suggest.nearest("wokers", keys));
        assertEquals(Optional.of("accept-delay"), Suggest.nearest("accept_delay", keys));
        assertEquals(Optional.empty(), Suggest.nearest("colour", keys));
    }

    @Test
    void sourceRanges() {
        assertEquals(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"),
                Sources.parse("127.0.0.1-127.0.0.3").stream().map(a -> a.getHostAddress()).toList());
        assertEquals(List.of("127.0.0.255", "127.0.1.0"), Sources.parse("127.0.0.255 - 127.0.1.0").stream().map(a -> a.getHostAddress()).toList());
        assertEquals("'127.0.0.300' is not an IPv4 address", assertThrows(IllegalArgumentException.class, () -> Sources.parse("127.0.0.300")).getMessage());
        assertEquals("'localhost' is not an IP address", assertThrows(IllegalArgumentException.class, () -> Sources.parse("localhost")).getMessage());
        assertEquals("range '10.0.0.0-10.0.8.0' has 2049 addresses, more than 1024",
                assertThrows(IllegalArgumentException.class, () -> Sources.parse("10.0.0.0-10.0.8.0")).getMessage());
    }

    @Test
    void errorFormats() {
        assertEquals("f.yaml:3:5: at target.embedded.workers: 'x' is not an integer (expected an integer >= 1)",
                new ScenarioError("f.yaml", 3, 5, "target.embedded.workers", "'x' is not an integer", "an integer >= 1").format());
        assertEquals("--set target.embedded.wokers: unknown key 'wokers'; did you mean 'workers'?",
                new ScenarioError("--set target.embedded.wokers", 0, 0, "target.embedded.wokers",
                        "unknown key 'wokers'; did you mean 'workers'?", null).format());
        assertEquals("--set server.wokers: at target.embedded.wokers: unknown key 'wokers'; did you mean 'workers'?",
                new ScenarioError("--set server.wokers", 0, 0, "target.embedded.wokers",
                        "unknown key 'wokers'; did you mean 'workers'?", null).format());
        assertEquals("f.yaml:1:1: at (top level): missing key 'target'",
                new ScenarioError("f.yaml", 1, 1, "", "missing key 'target'", null).format());
    }
}
