package io.conlimit.record;

import io.conlimit.fleet.ConnectionRecord;
import io.conlimit.fleet.Outcome;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Deterministic synthetic connection records with known latencies and outcomes, and what they must sum to. */
final class Synthetic {
    static final long LATE_THRESHOLD_NANOS = 1_000_000;

    private Synthetic() {
    }

    static Outcome outcome(long id) {
        if (id % 100 == 3) {
            return Outcome.ERROR;
        }
        return switch ((int) (id % 20)) {
            case 15 -> Outcome.CONNECTED_UNSERVED;
            case 16 -> Outcome.REFUSED;
            case 17 -> Outcome.CONNECT_TIMEOUT;
            case 18 -> Outcome.RESET;
            case 19 -> Outcome.CLIENT_LIMITED;
            default -> Outcome.OK;
        };
    }

    static boolean connected(Outcome o) {
        return o == Outcome.OK || o == Outcome.CONNECTED_UNSERVED || o == Outcome.RESET;
    }

    /** Connect latency from the intended start: 10 µs .. 10 ms in 10 µs steps, plus the start delay. */
    static ConnectionRecord record(long id) {
        Outcome o = outcome(id);
        long intended = id * 1000;
        long call = intended + (id % 50 == 0 ? 5_000_000 : 10_000);
        long serviceLatency = (id % 1000 + 1) * 10_000;
        long connected = connected(o) ? call + serviceLatency : -1;
        long firstByte = o == Outcome.OK && id % 3 == 0 ? connected + 200_000 + (id % 7) * 100_000 : -1;
        long decided = connected >= 0 ? (firstByte >= 0 ? firstByte : connected) : call + 3_000_000_000L;
        int syn = switch (o) {
            case CONNECT_TIMEOUT -> 5;
            case CLIENT_LIMITED -> -1;
            case OK -> id % 40 == 0 ? 1 : 0;
            default -> 0;
        };
        String local = o == Outcome.CLIENT_LIMITED ? "" : "127.0.0.1:" + (30000 + id % 20000);
        String detail = o == Outcome.ERROR ? "EHOSTUNREACH, \"no route\"" : "";
        return new ConnectionRecord(id, (int) (id % 2), intended, call, connected, firstByte, decided, -1, o, syn,
                local, connected >= 0 ? "open" : "none", detail);
    }

    /** Feeds one record through the listener the way the fleet does: started, decided, closed. */
    static void feed(RunRecording rec, long id) {
        ConnectionRecord r = record(id);
        rec.started(r.phase(), r.intendedNanos(), r.connectCallNanos());
        rec.decided(r);
        rec.closed(r.closedAt(r.decidedNanos() + 1_000, connected(r.outcome()) ? "fin" : "none"));
    }

    /** The expected totals over ids [0, n). */
    static final class Expected {
        final Map<Outcome, Long> outcomes = new EnumMap<>(Outcome.class);
        final List<Long> connect = new ArrayList<>();
        final List<Long> service = new ArrayList<>();
        final List<Long> ttfb = new ArrayList<>();
        long late;
        long synTotal;
        long synWith;
        long synMax;
        long synUnknown;

        Expected(long n) {
            for (Outcome o : Outcome.values()) {
                outcomes.put(o, 0L);
            }
            for (long id = 0; id < n; id++) {
                ConnectionRecord r = record(id);
                outcomes.merge(r.outcome(), 1L, Long::sum);
                if (r.connectedNanos() >= 0) {
                    connect.add(r.connectFromIntendedNanos());
                    service.add(r.connectFromCallNanos());
                }
                if (r.ttfbNanos() >= 0) {
                    ttfb.add(r.ttfbNanos());
                }
                if (r.startDelayNanos() > LATE_THRESHOLD_NANOS) {
                    late++;
                }
                if (r.synRetransmits() < 0) {
                    synUnknown++;
                } else {
                    synTotal += r.synRetransmits();
                    synWith += r.synRetransmits() > 0 ? 1 : 0;
                    synMax = Math.max(synMax, r.synRetransmits());
                }
            }
        }

        /** The exact value at a percentile, with HdrHistogram's rank rule, in ms. */
        static double percentileMs(List<Long> values, double percentile) {
            long[] sorted = values.stream().mapToLong(Long::longValue).toArray();
            Arrays.sort(sorted);
            long rank = Math.max(1, (long) ((percentile / 100.0) * sorted.length + 0.5));
            return sorted[(int) rank - 1] / 1e6;
        }
    }

    /** Options for a test run: console captured into {@code console}. */
    static RecordingOptions options(Path root, String name, int cap, boolean gzip, ByteArrayOutputStream console,
                                    boolean interactive) {
        return new RecordingOptions(root, null, name, Map.of("burst", 20000, "hold", java.time.Duration.ofMillis(250),
                "nested", Map.of("k", List.of(1, 2))),
                new PrintStream(console, true, StandardCharsets.UTF_8), interactive, cap, gzip, LATE_THRESHOLD_NANOS);
    }
}
