package io.conlimit.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A latency distribution from an HdrHistogram interval log (.hlog, nanoseconds): every interval added up, then its
 * percentiles as HdrHistogram's own {@code outputPercentileDistribution} lists them (5 ticks per half distance), each
 * point with its percentile and 1/(1-percentile), the x of HdrHistogram's plotter. The 100th percentile has no finite
 * x: it is given as {@code max_ms}.
 */
final class Percentiles {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final int TICKS_PER_HALF_DISTANCE = 5;

    private Percentiles() {
    }

    /** The whole log added up; an empty histogram when the log has no interval. */
    static Histogram total(Path hlog) throws IOException {
        Histogram sum = new Histogram(3);
        sum.setAutoResize(true);
        HistogramLogReader reader;
        try {
            reader = new HistogramLogReader(hlog.toFile());
        } catch (java.io.FileNotFoundException e) {
            throw new java.nio.file.NoSuchFileException(hlog.toString());
        }
        try {
            for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) {
                if (h instanceof AbstractHistogram a) {
                    sum.add(a);
                }
            }
        } catch (RuntimeException e) { // a malformed line: the reader throws unchecked exceptions
            throw new IOException(hlog + ": not a readable HdrHistogram log: " + e.getMessage(), e);
        } finally {
            reader.close();
        }
        return sum;
    }

    /** The curve of one log: {name, label, file, count, max_ms, percentile[], x[], ms[]}. */
    static ObjectNode curve(Path hlog, String name, String label) throws IOException {
        Histogram h = total(hlog);
        ObjectNode o = NODES.objectNode();
        o.put("name", name);
        o.put("label", label);
        o.put("file", hlog.getFileName().toString());
        o.put("count", h.getTotalCount());
        ArrayNode p = o.putArray("percentile");
        ArrayNode x = o.putArray("x");
        ArrayNode ms = o.putArray("ms");
        if (h.getTotalCount() == 0) {
            o.putNull("max_ms");
            return o;
        }
        o.put("max_ms", Connections.round(h.getMaxValue() / 1e6, 3));
        double lastX = 0;
        for (HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE)) {
            double pct = v.getPercentileLevelIteratedTo();
            if (pct >= 100.0) {
                break; // 1/(1-1) is infinite: the maximum is max_ms
            }
            double xi = 1.0 / (1.0 - pct / 100.0);
            if (xi <= lastX) {
                continue; // the plot's x must increase
            }
            lastX = xi;
            p.add(Connections.round(pct, 6));
            x.add(xi);
            ms.add(Connections.round(v.getValueIteratedTo() / 1e6, 3));
        }
        return o;
    }
}
