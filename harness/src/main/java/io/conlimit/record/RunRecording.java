package io.conlimit.record;

import io.conlimit.fleet.ConnectionRecord;
import io.conlimit.fleet.FleetListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Records one run into its results folder. CONTRACT STUB: the record branch replaces the bodies; the
 * signatures are what the fleet and the run command call.
 */
public final class RunRecording implements FleetListener, AutoCloseable {

    /** Creates the run folder, writes run.json marked incomplete, starts the once-a-second reporter. */
    public static RunRecording start(RecordingOptions options) throws IOException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** System.nanoTime() at the run's start: the epoch of every time in the records. */
    public long epochNanos() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public Path folder() {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** For progress lines: a phase begins. */
    public void phaseStarted(int index, String description) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /**
     * Stops the reporter, flushes every file, writes summary.json (atomically) with {@code extras} merged in
     * (e.g. launch_spread_ms, held_max) and prints the summary table.
     */
    public RunSummary finish(boolean complete, Map<String, Object> extras) throws IOException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    @Override
    public void started(int phase, long intendedNanos, long connectCallNanos) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    @Override
    public void decided(ConnectionRecord record) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    @Override
    public void closed(ConnectionRecord record) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** When finish() was not called (crash, Ctrl-C): leaves the folder readable and marked incomplete. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
