package io.conlimit.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.fleet.Outcome;
import io.conlimit.results.ResultsLayout;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * connections.csv (or .gz) read for the report: per connection its intended start, handshake, decision and close
 * (ms since the run epoch, NaN when it never happened) and its outcome. What the plots of connections are made of.
 */
final class Connections {
    /** At most this many connections are drawn in the scatter; above it, each outcome is sampled (and the page says so). */
    static final int SCATTER_BUDGET = 50_000;
    /** Each outcome keeps at least this many points (or all it has) when the scatter is sampled. */
    static final int SCATTER_FLOOR = 500;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String file;
    private int n;
    private double[] intended = new double[1024];
    private double[] call = new double[1024];
    private double[] connected = new double[1024];
    private double[] decided = new double[1024];
    private double[] closed = new double[1024];
    private byte[] outcome = new byte[1024];

    private Connections(String file) {
        this.file = file;
    }

    int size() {
        return n;
    }

    /** Reads the file; a last record cut short by a hard kill is skipped. @throws IOException naming the file and line */
    static Connections read(Path path) throws IOException {
        Connections c = new Connections(path.getFileName().toString());
        try (InputStream raw = Files.newInputStream(path);
             InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
             CsvRecords csv = new CsvRecords(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> header = csv.next();
            if (header == null) {
                return c;
            }
            int iIntended = column(header, "intended_ms", path);
            int iCall = column(header, "connect_call_ms", path);
            int iConnected = column(header, "connected_ms", path);
            int iDecided = column(header, "decided_ms", path);
            int iClosed = column(header, "closed_ms", path);
            int iOutcome = column(header, "outcome", path);
            int record = 1;
            List<String> pending = null;
            for (List<String> f = csv.next(); f != null; f = csv.next()) {
                record++;
                if (pending != null) {
                    throw new IOException(path + ": record " + (record - 1) + " has " + pending.size() + " fields, expected "
                            + header.size());
                }
                if (f.size() != header.size()) {
                    pending = f; // only the last record may be cut short
                    continue;
                }
                try {
                    c.add(ms(f.get(iIntended)), ms(f.get(iCall)), ms(f.get(iConnected)), ms(f.get(iDecided)), ms(f.get(iClosed)),
                            (byte) Outcome.fromKey(f.get(iOutcome)).ordinal());
                } catch (IllegalArgumentException e) {
                    throw new IOException(path + ": record " + record + ": " + e.getMessage(), e);
                }
            }
        }
        return c;
    }

    private static int column(List<String> header, String name, Path path) throws IOException {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IOException(path + ": header lacks column '" + name + "' (expected " + ResultsLayout.CONNECTION_COLUMNS + ")");
        }
        return i;
    }

    private static double ms(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    private void add(double in, double ca, double co, double de, double cl, byte o) {
        if (n == intended.length) {
            int m = n * 2;
            intended = Arrays.copyOf(intended, m);
            call = Arrays.copyOf(call, m);
            connected = Arrays.copyOf(connected, m);
            decided = Arrays.copyOf(decided, m);
            closed = Arrays.copyOf(closed, m);
            outcome = Arrays.copyOf(outcome, m);
        }
        intended[n] = in;
        call[n] = ca;
        connected[n] = co;
        decided[n] = de;
        closed[n] = cl;
        outcome[n] = o;
        n++;
    }

    /**
     * The scatter: for each outcome that occurred, x = its connect() call (s since the epoch) and y = ms from that call
     * to the handshake, or to the decision for a connection that never completed one (a connect-timeout at its
     * timeout): SYN retransmits put a connection at 1, 2, 3 s... of the client kernel's schedule. A connection whose
     * connect() was never called (a client limit before it) is placed at its intended start. With more than {@link #SCATTER_BUDGET} connections, each outcome keeps every k-th of its connections in
     * file order (its share of the budget, at least {@link #SCATTER_FLOOR}), and says so.
     */
    ObjectNode scatter() {
        int[] counts = new int[Outcome.values().length];
        for (int i = 0; i < n; i++) {
            counts[outcome[i]]++;
        }
        int[] every = new int[counts.length];
        for (int o = 0; o < counts.length; o++) {
            if (n <= SCATTER_BUDGET || counts[o] == 0) {
                every[o] = 1;
            } else {
                long share = Math.max(Math.min(counts[o], SCATTER_FLOOR), (long) counts[o] * SCATTER_BUDGET / n);
                every[o] = (int) Math.max(1, (counts[o] + share - 1) / share);
            }
        }
        ObjectNode s = NODES.objectNode();
        s.put("file", file);
        s.put("total", n);
        s.put("budget", SCATTER_BUDGET);
        ArrayNode series = s.putArray("series");
        int shown = 0;
        for (Outcome o : Outcome.values()) {
            int k = o.ordinal();
            if (counts[k] == 0) {
                continue;
            }
            ArrayNode xs = NODES.arrayNode();
            ArrayNode ys = NODES.arrayNode();
            int seen = 0;
            int handshakes = 0;
            for (int i = 0; i < n; i++) {
                if (outcome[i] != k || seen++ % every[k] != 0) {
                    continue;
                }
                double end = Double.isNaN(connected[i]) ? decided[i] : connected[i];
                double start = Double.isNaN(call[i]) ? intended[i] : call[i];
                if (Double.isNaN(start) || Double.isNaN(end)) {
                    continue; // nothing to place (never started, or never decided: cut short)
                }
                handshakes += Double.isNaN(connected[i]) ? 0 : 1;
                xs.add(round(start / 1000.0, 6));
                ys.add(Math.max(0.001, round(end - start, 3)));
            }
            ObjectNode j = series.addObject();
            j.put("outcome", o.key());
            j.put("count", counts[k]);
            j.put("every", every[k]);
            j.put("shown", xs.size());
            j.put("handshakes_shown", handshakes);
            j.set("x", xs);
            j.set("y", ys);
            shown += xs.size();
        }
        s.put("shown", shown);
        s.put("sampled", shown < n);
        return s;
    }

    /** Connections whose intended start falls in each interval (prev end, end], ends in s since the epoch. */
    long[] intendedPerInterval(double[] endsS) {
        long[] count = new long[endsS.length];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(intended[i])) {
                continue;
            }
            double t = intended[i] / 1000.0;
            int j = Arrays.binarySearch(endsS, t);
            int idx = j >= 0 ? j : -j - 1;
            count[Math.min(idx, endsS.length - 1)]++;
        }
        return count;
    }

    /**
     * Connections the client held established (handshake done, not yet closed), at its peak within each bin of
     * {@code binS} seconds up to {@code endS}: x = the bin's end, s.
     */
    ObjectNode heldPeaks(double endS, double binS) {
        int bins = Math.max(1, (int) Math.ceil(endS / binS));
        long[] events = new long[2 * n];
        int e = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(connected[i])) {
                continue;
            }
            events[e++] = key(connected[i], true);
            if (!Double.isNaN(closed[i])) {
                events[e++] = key(closed[i], false);
            }
        }
        Arrays.sort(events, 0, e);
        ArrayNode xs = NODES.arrayNode();
        ArrayNode ys = NODES.arrayNode();
        int held = 0;
        int k = 0;
        for (int bin = 0; bin < bins; bin++) {
            double binEndUs = (bin + 1) * binS * 1e6;
            int peak = held;
            while (k < e && (events[k] >> 1) <= binEndUs) {
                held += (events[k] & 1) == 1 ? 1 : -1;
                peak = Math.max(peak, held);
                k++;
            }
            xs.add(round((bin + 1) * binS, 4));
            ys.add(peak);
        }
        ObjectNode o = NODES.objectNode();
        o.put("bin_s", binS);
        o.set("t", xs);
        o.set("held", ys);
        return o;
    }

    /** Microseconds shifted left, the low bit 1 for an open: at the same instant a close sorts before an open. */
    private static long key(double ms, boolean open) {
        return (Math.round(ms * 1000.0) << 1) | (open ? 1 : 0);
    }

    static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
