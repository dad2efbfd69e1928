package io.conlimit.record;

import io.conlimit.results.ResultsLayout;
import io.conlimit.text.PlainErrors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The reader side, run once per reporting interval (and once more at the end): drains every thread's
 * recorder into one interval, adds it to the run's total, appends the interval to connect.hlog,
 * connect-service.hlog, ttfb.hlog and timeline.csv, and prints the progress line. Every file gets exactly one
 * entry per interval, so the timeline rows and the hlog intervals line up one to one.
 */
final class Reporter {
    private final List<ThreadRecorder> recorders;
    private final long epochNanos;
    private final long epochUnixMillis;
    private final ConsoleReport console;
    private final TimelineWriter timeline;
    private final HlogFile connectLog;
    private final HlogFile serviceLog;
    private final HlogFile ttfbLog;
    private final Interval interval = new Interval();
    private final Interval total = new Interval();
    private final CatchUpFolder catchUp;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private long lastTickNanos;
    private volatile long ticks;
    private boolean closed;

    /** @param lateThresholdNanos the late threshold, also the gap that separates two catch-up clusters */
    Reporter(Path folder, List<ThreadRecorder> recorders, long epochNanos, long epochUnixMillis, long lateThresholdNanos,
             ConsoleReport console) throws IOException {
        this.recorders = recorders;
        this.catchUp = new CatchUpFolder(lateThresholdNanos);
        this.epochNanos = epochNanos;
        this.epochUnixMillis = epochUnixMillis;
        this.console = console;
        this.lastTickNanos = epochNanos;
        this.timeline = new TimelineWriter(folder.resolve(ResultsLayout.TIMELINE_CSV));
        this.connectLog = new HlogFile(folder.resolve(ResultsLayout.CONNECT_HLOG), epochUnixMillis,
                "connect latency from the intended start");
        this.serviceLog = new HlogFile(folder.resolve(ResultsLayout.CONNECT_SERVICE_HLOG), epochUnixMillis,
                "connect latency from the connect() call");
        this.ttfbLog = new HlogFile(folder.resolve(ResultsLayout.TTFB_HLOG), epochUnixMillis,
                "time to first byte from the connect completion");
    }

    /** One interval: never throws; a write error is kept (reported in summary.json) and shown once per kind. */
    synchronized void tick(boolean progress) {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        // before the flips: a cluster open now is still open after them (its start bounds the watermark) or closed
        // into the buffer they drain; one opened after this read starts after now (but for RACE_MARGIN_NANOS)
        long watermark = now - epochNanos - CatchUpFolder.RACE_MARGIN_NANOS;
        for (ThreadRecorder r : recorders) {
            watermark = Math.min(watermark, r.openClusterFirst());
        }
        interval.reset();
        for (ThreadRecorder r : recorders) {
            r.drainInto(interval);
        }
        catchUp.add(interval.takeClusters(), watermark);
        total.add(interval);
        long startMs = epochUnixMillis + (lastTickNanos - epochNanos) / 1_000_000;
        long endMs = epochUnixMillis + (now - epochNanos) / 1_000_000;
        write("connect.hlog", () -> connectLog.append(interval.connect, startMs, endMs));
        write("connect-service.hlog", () -> serviceLog.append(interval.connectService, startMs, endMs));
        write("ttfb.hlog", () -> ttfbLog.append(interval.ttfb, startMs, endMs));
        write("timeline.csv", () -> timeline.append(now - epochNanos, interval, total.started - total.decided));
        lastTickNanos = now;
        ticks++;
        if (progress) {
            double p99 = total.connect.getTotalCount() == 0 ? Double.NaN
                    : total.connect.getValueAtPercentile(99) / 1e6;
            console.progress((now - epochNanos) / 1e9, total, p99);
        }
    }

    /** Closes the files; no tick after this. */
    synchronized void close() {
        closed = true;
        connectLog.close();
        serviceLog.close();
        ttfbLog.close();
        write("timeline.csv", timeline::close);
    }

    /** The run's catch-up clusters, complete: call after {@link #close}. */
    synchronized CatchUpClusters catchUp() {
        return catchUp.finish();
    }

    /** The run so far (reader side: only read it under this object's lock or after {@link #close}). */
    synchronized Interval total() {
        return total;
    }

    long ticks() {
        return ticks;
    }

    List<String> errors() {
        return errors;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private void write(String file, IoAction action) {
        try {
            action.run();
        } catch (IOException | RuntimeException e) {
            String msg = file + ": " + PlainErrors.message(e);
            if (errors.stream().noneMatch(x -> x.startsWith(file + ":"))) {
                console.line("conlimit: cannot write " + msg);
            }
            if (errors.size() < 20) {
                errors.add(msg);
            }
        }
    }
}
