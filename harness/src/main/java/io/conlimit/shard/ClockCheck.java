package io.conlimit.shard;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * This machine's wall clock against a reference's (the agent's {@code /clock}, which serves
 * {@code now_epoch_us}): the round trip with the smallest RTT among several, offset = theirs - midpoint(ours), off by
 * at most RTT/2 whatever the path's asymmetry.
 *
 * @param against          what was asked (the agent's HOST:PORT)
 * @param offsetNanos      reference wall clock minus ours
 * @param uncertaintyNanos RTT/2 of the best round trip
 * @param rounds           round trips made
 */
public record ClockCheck(String against, long offsetNanos, long uncertaintyNanos, int rounds) {

    /** One reading of the reference's wall clock (ns since the epoch). */
    @FunctionalInterface
    public interface Reference {
        long wallNanos() throws IOException;
    }

    /** The reference's clock from an agent's /clock answer (microseconds since the epoch). */
    public static long agentWallNanos(JsonNode clock) throws IOException {
        JsonNode us = clock.get("now_epoch_us");
        if (us == null || !us.canConvertToLong()) {
            throw new IOException("the agent's /clock has no now_epoch_us (an agent older than this conlimit): "
                    + "run the same conlimit version on the server");
        }
        return us.asLong() * 1000;
    }

    public static ClockCheck measure(String against, Reference ref, int rounds) throws IOException {
        long bestRtt = Long.MAX_VALUE;
        long bestOffset = 0;
        for (int i = 0; i < rounds; i++) {
            long t0 = StartAt.wallNanos();
            long n0 = System.nanoTime();
            long theirs = ref.wallNanos();
            long rtt = System.nanoTime() - n0;
            if (rtt < bestRtt) {
                bestRtt = rtt;
                bestOffset = theirs - (t0 + rtt / 2);
            }
        }
        return new ClockCheck(against, bestOffset, bestRtt / 2, rounds);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("against", against);
        m.put("offset_ms", offsetNanos / 1e6);
        m.put("uncertainty_ms", uncertaintyNanos / 1e6);
        m.put("rounds", rounds);
        m.put("reason", null);
        return m;
    }
}
