package io.conlimit.record;

import io.conlimit.fleet.ConnectionRecord;
import io.conlimit.fleet.Outcome;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Runs the recording's code once on made-up connections before a run starts, into a scratch folder that is deleted
 * afterwards: every class a tick, a recorder or a connections.csv row needs is loaded, and the per-connection
 * methods have been called often enough to be compiled, before the fleet compiles its own hot path.
 * <p>
 * Measured at 20,000/s (docs/benchmarks.md, section 2): without it, the first tick loaded HdrHistogram's
 * ConcurrentHistogram (a subclass of the Histogram the loops' compiled code had inlined on the grounds that it had
 * none), the JVM deoptimized every thread's code, and both loops stalled for 10 to 40 ms at 1 s: 200 to 700 starts
 * over 1 ms late; the recorder's first calls at the phase start ran interpreted beside the load. Nothing here
 * reaches the run's folder, its numbers or its output.
 */
final class Rehearsal {
    /** Made-up connections: above the compiler's call thresholds for the per-connection methods. */
    static final int CONNECTIONS = 2_000;
    /** Ticks over them: every class the tick loads is loaded at the first. */
    static final int TICKS = 4;

    private Rehearsal() {
    }

    /** Rehearses (unless the system property {@code conlimit.rehearsal=false}); returns quietly whatever happens (the run then only starts colder). */
    static void run(long lateThresholdNanos) {
        if (!Boolean.parseBoolean(System.getProperty("conlimit.rehearsal", "true"))) {
            return; // to measure what it buys (docs/benchmarks.md, item 14), as conlimit.warmup does for the warm-up
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("conlimit-rehearsal");
            rehearse(dir, lateThresholdNanos);
        } catch (IOException | RuntimeException e) {
            // a rehearsal that could not run costs only speed: the run records as ever
        } finally {
            if (dir != null) {
                delete(dir);
            }
        }
    }

    private static void rehearse(Path dir, long lateThresholdNanos) throws IOException {
        long epoch = System.nanoTime();
        ThreadRecorder recorder = new ThreadRecorder();
        List<ThreadRecorder> recorders = new CopyOnWriteArrayList<>(List.of(recorder));
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        Reporter reporter = new Reporter(dir, recorders, epoch, System.currentTimeMillis(), lateThresholdNanos,
                new ConsoleReport(nowhere, false));
        StringBuilder row = new StringBuilder(256);
        Outcome[] outcomes = Outcome.values();
        long step = 50_000; // 20,000/s; every 16th start late, so catch-up clusters open and close
        long late = Math.min(lateThresholdNanos, 1_000_000_000L) + 1; // never an overflow, whatever the threshold
        for (int i = 0; i < CONNECTIONS; i++) {
            long intended = i * step;
            long call = intended + (i % 16 == 0 ? late : 1_000);
            ConnectionRecord r = new ConnectionRecord(i, 0, intended, call, call + 100_000, -1, call + 100_000,
                    call + 150_000, outcomes[i % outcomes.length], 0, "127.0.0.1:1", "rst", "");
            recorder.started(0, intended, call, lateThresholdNanos);
            recorder.decided(r);
            recorder.closed();
            row.setLength(0);
            CsvFormat.appendConnection(row, r);
            if (i % (CONNECTIONS / TICKS) == 0) {
                reporter.tick(true);
            }
        }
        recorder.closeCluster();
        reporter.tick(true);
        reporter.close();
        reporter.catchUp();
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a scratch folder left in the temp directory
        }
    }
}
