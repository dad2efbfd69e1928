package io.conlimit.run;

import io.conlimit.kernel.ListenQueueSampler.Sample;
import io.conlimit.kernel.TcpExtCounters;
import io.conlimit.results.ResultsLayout;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * kernel-timeline.csv: one row per sample of the server kernel ({@code t_ms} since the run's epoch, Recv-Q,
 * Send-Q, then each {@link TcpExtCounters#LISTEN_EVIDENCE} counter minus its value at the run's start),
 * appended and flushed as samples arrive. {@code queued}/{@code max} are empty when no listener was on the
 * port at that moment, a counter is empty when it could not be read.
 */
final class KernelTimelineWriter implements AutoCloseable {
    private final BufferedWriter out;
    private final Map<String, Long> baseline;
    private final StringBuilder sb = new StringBuilder(128);
    private long rows;

    KernelTimelineWriter(Path file, Map<String, Long> baseline) throws IOException {
        this.baseline = Map.copyOf(baseline);
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(String.join(",", ResultsLayout.kernelTimelineColumns()));
        out.write('\n');
        out.flush();
    }

    void append(List<Sample> samples) throws IOException {
        if (samples.isEmpty()) {
            return;
        }
        for (Sample s : samples) {
            sb.setLength(0);
            sb.append(String.format(Locale.ROOT, "%.3f", s.nanos() / 1e6)).append(',');
            if (s.listenerFound()) {
                sb.append(s.queued()).append(',').append(s.max());
            } else {
                sb.append(',');
            }
            for (String c : TcpExtCounters.LISTEN_EVIDENCE) {
                sb.append(',');
                Long now = s.counters().get(c);
                Long start = baseline.get(c);
                if (now != null && start != null) {
                    sb.append(now - start);
                }
            }
            sb.append('\n');
            out.append(sb);
            rows++;
        }
        out.flush();
    }

    long rows() {
        return rows;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
