package io.conlimit.record;

import com.fasterxml.jackson.databind.JsonNode;
import io.conlimit.fleet.Outcome;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** summary.json's values through Jackson, the numbers' rounding, and the write-then-rename. */
class AtomicJsonTest {
    @TempDir
    Path tmp;

    record Timing(Duration timeout, Outcome outcome, int n) {
    }

    /** Jackson cannot write it (no properties): its toString() stands in. */
    static final class Opaque {
        @Override
        public String toString() {
            return "opaque";
        }
    }

    @Test
    void valuesAreWrittenAsTheirTextWhereJsonHasNoTypeForThem() throws Exception {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put("timeout", Duration.ofMillis(3500));
        m.put("folder", Path.of("results/x"));
        m.put("source", InetAddress.getByAddress(new byte[] {127, 0, 0, 2}));
        m.put(Outcome.CONNECT_TIMEOUT, Outcome.CONNECT_TIMEOUT);
        m.put("list", List.of(1, 2.5, "a", true));
        m.put("record", new Timing(Duration.ofSeconds(1), Outcome.OK, 7));
        m.put("opaque", List.of(1, new Opaque()));
        m.put("none", null);
        JsonNode j = AtomicJson.toJson(m);
        assertEquals("PT3.5S", j.path("timeout").asText());
        assertEquals("results/x", j.path("folder").asText());
        assertEquals("/127.0.0.2", j.path("source").asText());
        assertEquals(Outcome.CONNECT_TIMEOUT.toString(), j.path(Outcome.CONNECT_TIMEOUT.toString()).asText());
        assertEquals("[1,2.5,\"a\",true]", j.path("list").toString());
        assertEquals("{\"timeout\":\"PT1S\",\"outcome\":\"" + Outcome.OK + "\",\"n\":7}", j.path("record").toString());
        assertEquals("[1,\"opaque\"]", j.path("opaque").toString(), "only the element Jackson cannot write is text");
        assertTrue(j.path("none").isNull());
        assertEquals("opaque", AtomicJson.toJson(new Opaque()).asText());
    }

    @Test
    void latencyIsInMillisecondsWithThreeDecimalsAndNullPercentilesWhenEmpty() {
        assertEquals("{\"count\":0,\"p50\":null,\"p90\":null,\"p99\":null,\"p999\":null,\"max\":null,\"mean\":null}",
                JsonNumbers.latency(null).toString());
        assertEquals(JsonNumbers.latency(null), JsonNumbers.latency(new Histogram(3)));
        Histogram h = new Histogram(3);
        h.recordValue(1_234_567); // 1.234567 ms
        JsonNode n = JsonNumbers.latency(h);
        assertEquals(1, n.path("count").asLong());
        assertEquals(h.getMaxValue() / 1e6, n.path("max").asDouble(), 0.0005);
        assertEquals(JsonNumbers.round3(h.getValueAtPercentile(50) / 1e6), n.path("p50").asDouble());
        assertEquals(1.235, JsonNumbers.round3(1.2345));
        assertEquals(-0.001, JsonNumbers.round3(-0.0012));
    }

    @Test
    void aFileIsReplacedWholeAndNoTemporaryStays() throws Exception {
        Path f = tmp.resolve("summary.json");
        AtomicJson.write(f, AtomicJson.toJson(Map.of("a", 1)));
        AtomicJson.write(f, AtomicJson.toJson(Map.of("b", 2)));
        String text = Files.readString(f);
        assertTrue(text.endsWith("}\n"), text);
        assertEquals(2, AtomicJson.MAPPER.readTree(text).path("b").asInt());
        try (var l = Files.list(tmp)) {
            assertEquals(List.of(f), l.toList());
        }
        assertFalse(text.contains("\"a\""));
    }
}
