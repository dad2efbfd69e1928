package io.conlimit.evidence;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's clocks against ours, from the round trip with the smallest RTT among several: the agent read its
 * clock somewhere between our request and our response, so {@code offset = agent - midpoint(ours)} is off by at
 * most RTT/2 (the uncertainty), whatever the asymmetry of the path.
 *
 * @param offsetNanos       agent System.nanoTime() minus ours at the same instant
 * @param uncertaintyNanos  RTT/2 of the best round trip: the true offset lies within offset ± this
 * @param rttNanos          the best round trip
 * @param wallOffsetMillis  agent System.currentTimeMillis() minus ours at the same instant (± uncertainty)
 * @param rounds            round trips made
 */
public record ClockAlignment(long offsetNanos, long uncertaintyNanos, long rttNanos, long wallOffsetMillis, int rounds) {

    /** An agent clock reading in our System.nanoTime(). */
    public long toOurNanos(long agentNanos) {
        return agentNanos - offsetNanos;
    }

    /** One of our System.nanoTime() readings in the agent's clock. */
    public long toAgentNanos(long ourNanos) {
        return ourNanos + offsetNanos;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("offset_ms", offsetNanos / 1e6);
        m.put("uncertainty_ms", uncertaintyNanos / 1e6);
        m.put("rtt_ms", rttNanos / 1e6);
        m.put("wall_clock_offset_ms", wallOffsetMillis);
        m.put("rounds", rounds);
        return m;
    }

    /** Accumulates round trips and keeps the one with the smallest RTT. */
    static final class Estimator {
        private long bestRtt = Long.MAX_VALUE;
        private long bestOffset;
        private long bestWall;
        private int rounds;

        /**
         * @param sentNanos     our nanoTime just before sending
         * @param receivedNanos our nanoTime just after the response arrived
         * @param agentNanos    the agent's nanoTime in the response
         * @param ourWallMidMillis our currentTimeMillis at the midpoint
         * @param agentWallMillis  the agent's currentTimeMillis in the response
         */
        void add(long sentNanos, long receivedNanos, long agentNanos, long ourWallMidMillis, long agentWallMillis) {
            rounds++;
            long rtt = receivedNanos - sentNanos;
            if (rtt < bestRtt) {
                bestRtt = rtt;
                bestOffset = agentNanos - (sentNanos + rtt / 2);
                bestWall = agentWallMillis - ourWallMidMillis;
            }
        }

        ClockAlignment result() {
            if (rounds == 0) {
                throw new IllegalStateException("no round trips");
            }
            return new ClockAlignment(bestOffset, (bestRtt + 1) / 2, bestRtt, bestWall, rounds);
        }
    }
}
