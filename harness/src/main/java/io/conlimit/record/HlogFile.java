package io.conlimit.record;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One HdrHistogram interval log (readable by HistogramLogProcessor / HistogramLogReader): a header with
 * start time, base time and legend, then one interval histogram (values in nanoseconds) per reporting interval.
 */
final class HlogFile implements AutoCloseable {
    private final PrintStream stream;
    private final HistogramLogWriter writer;

    HlogFile(Path file, long epochUnixMillis, String what) throws IOException {
        this.stream = new PrintStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 15), false,
                StandardCharsets.UTF_8);
        this.writer = new HistogramLogWriter(stream);
        writer.outputComment("conlimit " + what + ", values in nanoseconds, one interval per reporting period");
        writer.outputLogFormatVersion();
        writer.outputStartTime(epochUnixMillis);
        writer.setBaseTime(epochUnixMillis);
        writer.outputBaseTime(epochUnixMillis);
        writer.outputLegend();
        flush();
    }

    /** Appends {@code h} as the interval [startMillis, endMillis) (Unix ms), with max shown in ms. */
    void append(Histogram h, long startUnixMillis, long endUnixMillis) throws IOException {
        h.setStartTimeStamp(startUnixMillis);
        h.setEndTimeStamp(endUnixMillis);
        writer.outputIntervalHistogram(h);
        flush();
    }

    private void flush() throws IOException {
        stream.flush();
        if (stream.checkError()) {
            throw new IOException("writing an .hlog file failed");
        }
    }

    @Override
    public void close() {
        stream.close();
    }
}
