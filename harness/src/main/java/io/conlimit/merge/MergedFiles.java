package io.conlimit.merge;

import io.conlimit.results.ResultsLayout;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.HdrHistogram.HistogramLogWriter;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * The merged folder's files, built from the shards': connections.csv (every shard's rows, times moved onto the
 * merged epoch, a {@code shard} column added), the .hlog files (each shard's interval histograms added into the
 * merged folder's reporting periods by their start time), timeline.csv (counts summed per period) and the server
 * side's kernel-timeline.csv (taken once, from one shard).
 */
final class MergedFiles {
    /** connections.csv's time columns (ms from the epoch): moved by each shard's offset. */
    private static final List<String> TIME_COLUMNS = List.of("intended_ms", "connect_call_ms", "connected_ms", "first_byte_ms",
            "decided_ms", "closed_ms");
    static final List<String> HLOGS = List.of(ResultsLayout.CONNECT_HLOG, ResultsLayout.CONNECT_SERVICE_HLOG, ResultsLayout.TTFB_HLOG);

    private MergedFiles() {
    }

    /** Rows written. */
    static long connections(ShardSet set, Path out) throws IOException {
        long rows = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve(ResultsLayout.CONNECTIONS_CSV), StandardCharsets.UTF_8)) {
            w.write(String.join(",", ResultsLayout.CONNECTION_COLUMNS) + ",shard\n");
            for (ShardFolder s : set.shards()) {
                Path f = s.folder().resolve(ResultsLayout.CONNECTIONS_CSV);
                boolean gz = false;
                if (!Files.exists(f)) {
                    f = s.folder().resolve(ResultsLayout.CONNECTIONS_CSV_GZ);
                    gz = true;
                }
                if (!Files.exists(f)) {
                    throw new MergeException(s.folder() + ": no connections.csv (nor .gz)");
                }
                double offsetMs = set.offsetNanos(s) / 1e6;
                try (InputStream raw = Files.newInputStream(f);
                     BufferedReader r = new BufferedReader(new InputStreamReader(gz ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
                    String header = r.readLine();
                    if (header == null) {
                        continue;
                    }
                    List<String> cols = List.of(header.split(",", -1));
                    if (!cols.equals(ResultsLayout.CONNECTION_COLUMNS)) {
                        throw new MergeException(f + ": its columns " + cols + " are not this conlimit's " + ResultsLayout.CONNECTION_COLUMNS);
                    }
                    int lastTime = cols.indexOf("closed_ms");
                    for (String line; (line = r.readLine()) != null; ) {
                        while (quotes(line) % 2 == 1) { // a quoted detail with a line break
                            String more = r.readLine();
                            if (more == null) {
                                break;
                            }
                            line = line + "\n" + more;
                        }
                        String[] f8 = line.split(",", lastTime + 2); // the first columns are plain numbers
                        if (f8.length < lastTime + 2) {
                            continue; // a record cut short by a hard kill
                        }
                        StringBuilder sb = new StringBuilder(line.length() + 8);
                        for (int i = 0; i <= lastTime; i++) {
                            if (i > 0) {
                                sb.append(',');
                            }
                            sb.append(TIME_COLUMNS.contains(cols.get(i)) ? shift(f8[i], offsetMs) : f8[i]);
                        }
                        sb.append(',').append(f8[lastTime + 1]).append(',').append(s.index()).append('\n');
                        w.write(sb.toString());
                        rows++;
                    }
                }
            }
        }
        return rows;
    }

    private static int quotes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '"') {
                n++;
            }
        }
        return n;
    }

    private static String shift(String ms, double offsetMs) {
        if (ms.isEmpty()) {
            return ms;
        }
        return String.format(Locale.ROOT, "%.3f", Double.parseDouble(ms) + offsetMs);
    }

    /**
     * Adds every shard's interval histograms of {@code name} into the merged periods (by their start time on the wall
     * clock) and writes the merged log; returns the whole run's histogram (all intervals), or null when no shard has it.
     */
    static Histogram hlog(ShardSet set, String name, long periodMillis, Path out) throws IOException {
        long epochMs = Math.floorDiv(set.epochUnixNanos(), 1_000_000L);
        TreeMap<Long, Histogram> bins = new TreeMap<>();
        Histogram total = null;
        String comment = null;
        for (ShardFolder s : set.shards()) {
            Path f = s.folder().resolve(name);
            if (!Files.exists(f)) {
                continue;
            }
            if (comment == null) {
                comment = Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("#conlimit"))
                        .findFirst().map(l -> l.substring(1)).orElse("conlimit " + name);
            }
            HistogramLogReader reader = new HistogramLogReader(f.toFile());
            for (EncodableHistogram e; (e = reader.nextIntervalHistogram()) != null; ) {
                Histogram h = (Histogram) e;
                long bin = Math.max(0, Math.floorDiv(h.getStartTimeStamp() - epochMs, periodMillis));
                bins.computeIfAbsent(bin, b -> new Histogram(h.getLowestDiscernibleValue(), h.getHighestTrackableValue(),
                        h.getNumberOfSignificantValueDigits())).add(h);
                if (total == null) {
                    total = new Histogram(h.getLowestDiscernibleValue(), h.getHighestTrackableValue(), h.getNumberOfSignificantValueDigits());
                }
                total.add(h);
            }
        }
        if (comment == null) {
            return null;
        }
        try (PrintStream ps = new PrintStream(Files.newOutputStream(out.resolve(name)), false, StandardCharsets.UTF_8)) {
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputComment(comment + "; merged from " + set.count() + " shards: each shard's intervals added into the period "
                    + "of the merged epoch in which they started");
            w.outputLogFormatVersion();
            w.outputStartTime(epochMs);
            w.setBaseTime(epochMs);
            w.outputBaseTime(epochMs);
            w.outputLegend();
            long last = bins.isEmpty() ? -1 : bins.lastKey();
            Histogram empty = total == null ? new Histogram(3) : new Histogram(total.getLowestDiscernibleValue(),
                    total.getHighestTrackableValue(), total.getNumberOfSignificantValueDigits());
            for (long b = 0; b <= last; b++) {
                Histogram h = bins.getOrDefault(b, empty);
                h.setStartTimeStamp(epochMs + b * periodMillis);
                h.setEndTimeStamp(epochMs + (b + 1) * periodMillis);
                w.outputIntervalHistogram(h);
            }
            if (ps.checkError()) {
                throw new IOException("writing " + out.resolve(name) + " failed");
            }
        }
        return total;
    }

    /**
     * timeline.csv: each shard row (one reporting period ending at {@code second}) goes to the merged period holding
     * its midpoint; counts add up, connect_p50_ms / connect_p99_ms come from the merged connect.hlog's same period.
     */
    static void timeline(ShardSet set, long periodMillis, Path out, List<Histogram> connectBins) throws IOException {
        List<String> cols = ResultsLayout.timelineColumns();
        TreeMap<Long, long[]> bins = new TreeMap<>();
        int sums = cols.indexOf("connect_p50_ms"); // columns before it are counts
        for (ShardFolder s : set.shards()) {
            Path f = s.folder().resolve(ResultsLayout.TIMELINE_CSV);
            if (!Files.exists(f)) {
                continue;
            }
            List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            if (lines.isEmpty() || !List.of(lines.get(0).split(",", -1)).equals(cols)) {
                throw new MergeException(f + ": its columns are not this conlimit's " + cols);
            }
            double offsetMs = set.offsetNanos(s) / 1e6;
            for (String line : lines.subList(1, lines.size())) {
                String[] v = line.split(",", -1);
                if (v.length != cols.size()) {
                    continue;
                }
                double endMs = Double.parseDouble(v[0]) * 1000 + offsetMs;
                long bin = Math.max(0, (long) Math.floor((endMs - periodMillis / 2.0) / periodMillis));
                long[] acc = bins.computeIfAbsent(bin, b -> new long[sums]);
                for (int i = 1; i < sums; i++) {
                    acc[i] += Long.parseLong(v[i]);
                }
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(out.resolve(ResultsLayout.TIMELINE_CSV), StandardCharsets.UTF_8)) {
            w.write(String.join(",", cols) + "\n");
            for (var e : bins.entrySet()) {
                StringBuilder sb = new StringBuilder();
                sb.append(String.format(Locale.ROOT, "%.3f", (e.getKey() + 1) * periodMillis / 1000.0));
                for (int i = 1; i < sums; i++) {
                    sb.append(',').append(e.getValue()[i]);
                }
                Histogram h = e.getKey() < connectBins.size() ? connectBins.get(e.getKey().intValue()) : null;
                if (h != null && h.getTotalCount() > 0) {
                    sb.append(String.format(Locale.ROOT, ",%.3f,%.3f", h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6));
                } else {
                    sb.append(",,");
                }
                w.write(sb.append('\n').toString());
            }
        }
    }

    /** The merged connect.hlog's periods, in order (for the timeline's percentiles). */
    static List<Histogram> periods(Path hlog) throws IOException {
        List<Histogram> out = new ArrayList<>();
        if (!Files.exists(hlog)) {
            return out;
        }
        HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        for (EncodableHistogram e; (e = reader.nextIntervalHistogram()) != null; ) {
            out.add((Histogram) e);
        }
        return out;
    }

    /** kernel-timeline.csv of the server side, from shard {@code from}, its times moved onto the merged epoch. */
    static boolean kernelTimeline(ShardSet set, ShardFolder from, Path out) throws IOException {
        Path f = from.folder().resolve(ResultsLayout.KERNEL_TIMELINE_CSV);
        if (!Files.exists(f)) {
            return false;
        }
        double offsetMs = set.offsetNanos(from) / 1e6;
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        List<String> outLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (i == 0 || l.isEmpty()) {
                outLines.add(l);
                continue;
            }
            int comma = l.indexOf(',');
            outLines.add(shift(l.substring(0, comma), offsetMs) + l.substring(comma));
        }
        try {
            Files.write(out.resolve(ResultsLayout.KERNEL_TIMELINE_CSV), outLines, StandardCharsets.UTF_8);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return true;
    }
}
