package io.conlimit.record;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.fleet.ConnectionRecord;
import io.conlimit.fleet.FleetListener;
import io.conlimit.kernel.LowPriority;
import io.conlimit.results.ResultsLayout;
import io.conlimit.text.PlainErrors;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Records one run into its results folder (layout and formats: docs/results.md).
 *
 * <p>The {@link FleetListener} methods run on many event-loop threads at once: each thread records into its
 * own {@link ThreadRecorder} (HdrHistograms and counters, double-buffered behind a WriterReaderPhaser), and
 * final records go through a lock-free queue to the connections.csv writer thread. Nothing there blocks or
 * does I/O. A reporter thread drains the recorders once per period (1 s) and appends to timeline.csv and
 * the .hlog files. run.json and summary.json are only ever replaced whole (temp file + atomic rename);
 * a JVM shutdown hook leaves the folder marked incomplete when {@link #finish} was never reached.
 *
 * <p>Call {@link #finish} (or {@link #close}) after the fleet has stopped calling the listener: events that
 * arrive after it are ignored.
 */
public final class RunRecording implements FleetListener, AutoCloseable {
    static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);

    private final RecordingOptions options;
    private final String name;
    private final Path folder;
    private final long epochNanos;
    private final Instant startedAt;
    private final long periodNanos;
    private final ObjectNode runJson;
    private final ArrayNode phases;
    private final List<ThreadRecorder> recorders = new CopyOnWriteArrayList<>();
    private final ThreadLocal<ThreadRecorder> local = ThreadLocal.withInitial(this::register);
    private final ConsoleReport console;
    private final ConnectionsWriter connections;
    private final Reporter reporter;
    private final ScheduledExecutorService scheduler;
    private final Thread shutdownHook;
    private volatile boolean stopped;
    private RunSummary result;

    private RunRecording(RecordingOptions options, Duration period) throws IOException {
        if (options.connectionsCap() < 0) {
            throw new IllegalArgumentException("connections cap must be 0 or more, got " + options.connectionsCap());
        }
        if (options.lateThresholdNanos() < 0) {
            throw new IllegalArgumentException("late-start threshold must be 0 or more, got "
                    + options.lateThresholdNanos() + " ns");
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("reporting period must be above 0");
        }
        this.options = options;
        Rehearsal.run(options.lateThresholdNanos()); // before the epoch: the recording's code loaded and compiled
        this.name = options.runName() == null || options.runName().isBlank() ? "run" : options.runName();
        this.periodNanos = period.toNanos();
        this.console = new ConsoleReport(options.console() == null
                ? new PrintStream(OutputStream.nullOutputStream()) : options.console(), options.interactive());
        this.startedAt = Instant.now();
        this.epochNanos = System.nanoTime();
        this.folder = RunFolder.create(options.resultsRoot(), options.outDir(), name, startedAt);

        this.runJson = JsonNodeFactory.instance.objectNode();
        runJson.put("conlimit_version", ClientEnvironment.conlimitVersion());
        runJson.put("complete", false);
        runJson.put("name", name);
        runJson.put("folder", folder.toAbsolutePath().toString());
        runJson.put("started_utc", startedAt.toString());
        ObjectNode epoch = runJson.putObject("epoch");
        epoch.put("unix_ms", startedAt.toEpochMilli());
        epoch.put("nano_time", epochNanos);
        runJson.putNull("finished_utc");
        runJson.putNull("duration_s");
        runJson.put("report_period_ms", AtomicJson.ms3(periodNanos / 1e6));
        runJson.set("inputs", AtomicJson.toJson(options.inputs() == null ? Map.of() : options.inputs()));
        runJson.set("client", ClientEnvironment.read());
        this.phases = runJson.putArray("phases");
        AtomicJson.write(folder.resolve(ResultsLayout.RUN_JSON), runJson);

        this.reporter = new Reporter(folder, recorders, epochNanos, startedAt.toEpochMilli(),
                options.lateThresholdNanos(), console);
        try {
            this.connections = new ConnectionsWriter(folder, options.gzipConnections(), options.connectionsCap(),
                    periodNanos);
        } catch (IOException | RuntimeException e) {
            reporter.close();
            throw e;
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(LowPriority.lowered(r), "conlimit-reporter"); // nice 19: CPU the loops leave idle
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(() -> reporter.tick(true), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
        this.shutdownHook = new Thread(this::close, "conlimit-recording-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Creates the run folder, writes run.json marked incomplete, starts the once-a-second reporter. */
    public static RunRecording start(RecordingOptions options) throws IOException {
        return new RunRecording(options, DEFAULT_PERIOD);
    }

    /** As {@link #start(RecordingOptions)} with another reporting period (tests: e.g. 100 ms). */
    static RunRecording start(RecordingOptions options, Duration period) throws IOException {
        return new RunRecording(options, period);
    }

    /** System.nanoTime() at the run's start: the epoch of every time in the records. */
    public long epochNanos() {
        return epochNanos;
    }

    public Path folder() {
        return folder;
    }

    /** Reporting intervals completed so far (tests wait on it). */
    long ticks() {
        return reporter.ticks();
    }

    /** For progress lines: a phase begins (also listed in run.json's "phases"). */
    public void phaseStarted(int index, String description) {
        double at = (System.nanoTime() - epochNanos) / 1e9;
        synchronized (this) {
            ObjectNode p = phases.addObject();
            p.put("index", index);
            p.put("description", description);
            p.put("started_s", AtomicJson.ms3(at));
        }
        console.line(String.format(Locale.ROOT, "phase %d at %.3f s: %s", index, at, description));
    }

    /**
     * Stops the reporter, flushes every file, writes summary.json (atomically) with {@code extras} merged in
     * (e.g. launch_spread_ms, held_max) and prints the summary table. A second call returns the first result.
     *
     * @throws IllegalArgumentException when an extra would replace one of summary.json's own keys
     */
    public RunSummary finish(boolean complete, Map<String, Object> extras) throws IOException {
        return finish(complete, extras, List.of());
    }

    /**
     * As {@link #finish(boolean, Map)}, with the fleet's figures per phase (index-aligned: kind, launch_spread_ms,
     * held_max, ...) merged into summary.json's {@code phases}.
     */
    public RunSummary finish(boolean complete, Map<String, Object> extras, List<Map<String, Object>> phaseExtras)
            throws IOException {
        return stop(complete, extras == null ? Map.of() : extras, phaseExtras == null ? List.of() : phaseExtras);
    }

    @Override
    public void started(int phase, long intendedNanos, long connectCallNanos) {
        if (!stopped) {
            long threshold = options.burstPhases().contains(phase) ? Long.MAX_VALUE : options.lateThresholdNanos();
            local.get().started(phase, intendedNanos, connectCallNanos, threshold);
        }
    }

    /** Registers the calling thread's recorder now: its histograms are allocated (and their memory touched) here. */
    @Override
    public void prepareThread() {
        if (!stopped) {
            local.get();
        }
    }

    @Override
    public void decided(ConnectionRecord record) {
        if (!stopped) {
            local.get().decided(record);
        }
    }

    @Override
    public void closed(ConnectionRecord record) {
        if (!stopped) {
            local.get().closed();
            connections.offer(record);
        }
    }

    /** When finish() was not called (crash, Ctrl-C): leaves the folder readable and marked incomplete. */
    @Override
    public void close() {
        try {
            stop(false, Map.of(), List.of());
        } catch (IOException | RuntimeException e) {
            console.line("conlimit: could not finish the results in " + folder + ": " + PlainErrors.message(e));
        }
    }

    private ThreadRecorder register() {
        ThreadRecorder r = new ThreadRecorder();
        recorders.add(r);
        return r;
    }

    private synchronized RunSummary stop(boolean complete, Map<String, Object> extras,
                                         List<Map<String, Object>> phaseExtras) throws IOException {
        if (result != null) {
            return result;
        }
        SummaryJson.checkExtras(extras);
        stopped = true;
        scheduler.shutdown();
        boolean interrupted = false;
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) {
                console.line("conlimit: the reporter did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        for (ThreadRecorder r : recorders) {
            r.closeCluster(); // the fleet stopped calling: every thread's last catch-up cluster is over
        }
        reporter.tick(true);
        reporter.close();
        try {
            connections.stop();
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (connections.failure() != null) {
            reporter.errors().add(connections.file().getFileName() + ": " + PlainErrors.message(connections.failure()));
        }
        long endNanos = System.nanoTime();
        double durationS = (endNanos - epochNanos) / 1e9;
        Instant finishedAt = startedAt.plusNanos(endNanos - epochNanos);

        CatchUpClusters clusters = reporter.catchUp();
        ObjectNode summary = SummaryJson.build(name, complete, reporter.total(), durationS,
                options.lateThresholdNanos(), clusters, connections.rows(), connections.dropped(),
                connections.file().getFileName().toString(), reporter.errors(), extras,
                SummaryJson.phases(reporter.total(), clusters, phases, phaseExtras));
        AtomicJson.write(folder.resolve(ResultsLayout.SUMMARY_JSON), summary);
        runJson.put("complete", complete);
        runJson.put("finished_utc", finishedAt.toString());
        runJson.put("duration_s", AtomicJson.ms3(durationS));
        AtomicJson.write(folder.resolve(ResultsLayout.RUN_JSON), runJson);
        console.table(summary, folder);
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: we are running in (or after) the hook
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        result = new RunSummary(folder, summary);
        return result;
    }
}
