package io.conlimit.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.InetSocketAddress;

/**
 * Something that watches a run from beside the fleet and adds its own section to summary.json: the
 * kernel's evidence, the prediction, the expectations. Observers are called in the order given to
 * {@link RunExecutor}, each after the ones before it, so a later one can read an earlier one's section.
 */
public interface RunObserver extends AutoCloseable {

    /**
     * Before anything is created (no results folder yet): refuse what cannot work. An IllegalArgumentException is a
     * configuration error (exit 2), naming the flag; an IOException means the run cannot start (exit 3), e.g. an
     * agent that cannot be reached.
     */
    default void preflight(io.conlimit.plan.RunPlan plan, InetSocketAddress target, boolean embedded) throws Exception {
    }

    /** The target is up and recording has started; the load begins right after this returns. */
    default void beforeLoad(ObservedRun ctx) throws Exception {
    }

    /**
     * Every connection of the load has its outcome and the held ones are still open (they close right after this
     * returns): the moment to compare the client's connections with the server's (the socket census). Called on
     * the run's thread; a failure here is reported and does not stop the run.
     */
    default void endOfLoad(ObservedRun ctx) throws Exception {
    }

    /**
     * The run has finished and {@code summary} holds what the recording measured; add keys to it and print
     * what the user should read. The executor saves summary.json after the last observer.
     */
    default void annotate(ObjectNode summary, ObservedRun ctx) throws Exception {
    }

    /** This observer's verdict: 0, or {@link io.conlimit.util.ExitCodes#EXPECTATION_FAILED}. */
    default int exitCode() {
        return 0;
    }

    /** Releases what {@link #beforeLoad} started; called whatever happened. */
    @Override
    default void close() {
    }
}
