package io.conlimit.merge;

import io.conlimit.record.JsonNumbers;
import io.conlimit.results.ResultsLayout;
import org.HdrHistogram.IntCountsHistogram;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the merged connections.csv tells per phase: the connect latency from the intended start (as the recording's
 * per-phase histogram: 1 us resolution, 3 digits, from the rows' millisecond times with 3 decimals) and the fleet-wide
 * launch spread (the last connect() call minus the first, across all shards, on the merged epoch).
 */
final class MergedRows {
    private static final long HIGHEST_NANOS = 3_600_000_000_000L;
    private final Map<Integer, IntCountsHistogram> connect = new HashMap<>();
    private final Map<Integer, double[]> calls = new HashMap<>();
    private long rows;

    long rows() {
        return rows;
    }

    static MergedRows read(Path merged) throws IOException {
        MergedRows m = new MergedRows();
        List<String> cols = ResultsLayout.CONNECTION_COLUMNS;
        int iPhase = cols.indexOf("phase");
        int iIntended = cols.indexOf("intended_ms");
        int iCall = cols.indexOf("connect_call_ms");
        int iConnected = cols.indexOf("connected_ms");
        try (BufferedReader r = Files.newBufferedReader(merged, StandardCharsets.UTF_8)) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(",", cols.indexOf("closed_ms") + 2);
                if (f.length <= iConnected || !Character.isDigit(line.isEmpty() ? 'x' : line.charAt(0))) {
                    continue; // the continuation of a quoted detail
                }
                m.rows++;
                int phase = Integer.parseInt(f[iPhase]);
                if (!f[iCall].isEmpty()) {
                    double call = Double.parseDouble(f[iCall]);
                    double[] mm = m.calls.computeIfAbsent(phase, p -> new double[]{Double.MAX_VALUE, -Double.MAX_VALUE});
                    mm[0] = Math.min(mm[0], call);
                    mm[1] = Math.max(mm[1], call);
                }
                if (!f[iConnected].isEmpty()) {
                    long ns = Math.round((Double.parseDouble(f[iConnected]) - Double.parseDouble(f[iIntended])) * 1e6);
                    m.connect.computeIfAbsent(phase, p -> new IntCountsHistogram(1_000, HIGHEST_NANOS, 3))
                            .recordValue(Math.max(1_000, Math.min(ns, HIGHEST_NANOS)));
                }
            }
        }
        return m;
    }

    IntCountsHistogram phaseConnect(int phase) {
        return connect.get(phase);
    }

    /** Last connect() call minus the first in this phase across all shards, ms; -1 when no call. */
    double launchSpreadMs(int phase) {
        double[] mm = calls.get(phase);
        return mm == null ? -1 : JsonNumbers.round3(mm[1] - mm[0]);
    }
}
