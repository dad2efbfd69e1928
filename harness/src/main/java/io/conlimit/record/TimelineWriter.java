package io.conlimit.record;

import io.conlimit.fleet.Outcome;
import io.conlimit.results.ResultsLayout;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** timeline.csv: one row per reporting interval, appended and flushed as the interval ends. */
final class TimelineWriter implements AutoCloseable {
    private final BufferedWriter out;
    private final StringBuilder sb = new StringBuilder(160);

    TimelineWriter(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(String.join(",", ResultsLayout.timelineColumns()));
        out.write('\n');
        out.flush();
    }

    /**
     * @param elapsedNanos the end of the interval, ns since the run epoch
     * @param interval     what was recorded during the interval
     * @param inFlight     started and not yet decided, at the end of the interval
     */
    void append(long elapsedNanos, Interval interval, long inFlight) throws IOException {
        sb.setLength(0);
        CsvFormat.appendMs(sb, elapsedNanos / 1000);
        sb.append(',').append(interval.started);
        for (Outcome o : Outcome.values()) {
            sb.append(',').append(interval.outcome(o));
        }
        sb.append(',').append(inFlight).append(',').append(interval.lateStarts).append(',');
        if (interval.connect.getTotalCount() > 0) {
            CsvFormat.appendMs(sb, interval.connect.getValueAtPercentile(50));
            sb.append(',');
            CsvFormat.appendMs(sb, interval.connect.getValueAtPercentile(99));
        } else {
            sb.append(',');
        }
        sb.append('\n');
        out.append(sb);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
