package io.conlimit.record;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.AbstractHistogram;

/** Numbers as summary.json writes them, for a run's summary and a merged one alike. */
public final class JsonNumbers {
    private static final String[] KEYS = {"p50", "p90", "p99", "p999", "max", "mean"};

    private JsonNumbers() {
    }

    /**
     * A latency histogram in nanoseconds as {count, p50, p90, p99, p999, max, mean} in ms with 3 decimals; the
     * percentiles null when count is 0 (or there is no histogram).
     */
    public static ObjectNode latency(AbstractHistogram h) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        long count = h == null ? 0 : h.getTotalCount();
        n.put("count", count);
        if (count == 0) {
            for (String k : KEYS) {
                n.putNull(k);
            }
            return n;
        }
        n.put("p50", ms(h.getValueAtPercentile(50)));
        n.put("p90", ms(h.getValueAtPercentile(90)));
        n.put("p99", ms(h.getValueAtPercentile(99)));
        n.put("p999", ms(h.getValueAtPercentile(99.9)));
        n.put("max", ms(h.getMaxValue()));
        n.put("mean", round3(h.getMean() / 1e6));
        return n;
    }

    /** Rounded to 3 decimals (milliseconds to the microsecond, seconds to the millisecond). */
    public static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    private static double ms(long nanos) {
        return round3(nanos / 1e6);
    }
}
