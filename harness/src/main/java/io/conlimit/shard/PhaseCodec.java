package io.conlimit.shard;

import com.fasterxml.jackson.databind.JsonNode;
import io.conlimit.plan.LoadPhase;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A load phase as JSON and back, so a shard's summary carries the whole plan's load and {@code conlimit merge}
 * can predict for the whole load. Durations in nanoseconds.
 */
public final class PhaseCodec {
    private PhaseCodec() {
    }

    public static Map<String, Object> toJson(LoadPhase p) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (p instanceof LoadPhase.Burst b) {
            m.put("kind", "burst");
            m.put("connections", b.connections());
        } else if (p instanceof LoadPhase.Rate r) {
            m.put("kind", "rate");
            m.put("per_second", r.perSecond());
            m.put("duration_ns", r.duration().toNanos());
            m.put("poisson", r.poisson());
        } else if (p instanceof LoadPhase.Ramp r) {
            m.put("kind", "ramp");
            m.put("from_per_second", r.fromPerSecond());
            m.put("to_per_second", r.toPerSecond());
            m.put("duration_ns", r.duration().toNanos());
            m.put("steps", r.steps());
        } else if (p instanceof LoadPhase.HoldProbe h) {
            m.put("kind", "hold-probe");
            m.put("gap_ns", h.gap().toNanos());
            m.put("max_held", h.maxHeld());
            m.put("stop_after", h.stopAfterFailures());
        } else if (p instanceof LoadPhase.Pause s) {
            m.put("kind", "pause");
            m.put("duration_ns", s.duration().toNanos());
        } else if (p instanceof LoadPhase.Settle s) {
            m.put("kind", "settle");
            m.put("max_ns", s.max().toNanos());
        }
        return m;
    }

    /** @throws IllegalArgumentException naming what is wrong */
    public static LoadPhase fromJson(JsonNode n) {
        String kind = n.path("kind").asText("");
        return switch (kind) {
            case "burst" -> new LoadPhase.Burst(n.path("connections").asInt());
            case "rate" -> new LoadPhase.Rate(n.path("per_second").asDouble(), ns(n, "duration_ns"), n.path("poisson").asBoolean());
            case "ramp" -> new LoadPhase.Ramp(n.path("from_per_second").asDouble(), n.path("to_per_second").asDouble(),
                    ns(n, "duration_ns"), n.path("steps").asInt());
            case "hold-probe" -> new LoadPhase.HoldProbe(ns(n, "gap_ns"), n.path("max_held").asInt(), n.path("stop_after").asInt());
            case "pause" -> new LoadPhase.Pause(ns(n, "duration_ns"));
            case "settle" -> new LoadPhase.Settle(ns(n, "max_ns"));
            default -> throw new IllegalArgumentException("unknown phase kind '" + kind + "'");
        };
    }

    private static Duration ns(JsonNode n, String key) {
        return Duration.ofNanos(n.path(key).asLong());
    }
}
