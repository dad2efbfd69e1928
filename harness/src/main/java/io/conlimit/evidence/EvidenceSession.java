package io.conlimit.evidence;

import io.conlimit.kernel.ListenQueueSampler.Sample;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One run's kernel evidence: reads the server's settings and counters at the start, collects the samples as
 * the run goes (poll() returns the new ones, for the run's timeline), and at the end the counters' deltas and
 * the consistency check ({@link #finish}).
 */
public final class EvidenceSession implements AutoCloseable {
    private final EvidenceSource source;
    private final Map<String, Object> serverSettings;
    private final Map<String, Long> before;
    private final SampleTally tally;
    private long lastNanos;

    private EvidenceSession(EvidenceSource source, Map<String, Object> serverSettings, Map<String, Long> before,
                            long notAfterNanos) {
        this.source = source;
        this.serverSettings = serverSettings;
        this.before = before;
        this.lastNanos = notAfterNanos;
        this.tally = new SampleTally(before.getOrDefault(KernelEvidenceSummary.OVERFLOWS, 0L));
    }

    /** Reads the server's settings and counters, then starts sampling. */
    public static EvidenceSession start(EvidenceSource source) throws IOException {
        return start(source, Long.MIN_VALUE);
    }

    /**
     * As {@link #start(EvidenceSource)}, ignoring samples taken at or before {@code sinceNanosInOurEpoch}: an agent
     * that already sampled the port for an earlier run still holds that run's samples (-1 keeps those from the run's
     * epoch on).
     */
    public static EvidenceSession start(EvidenceSource source, long sinceNanosInOurEpoch) throws IOException {
        Map<String, Object> settings = source.sysinfo();
        Map<String, Long> before = source.counters();
        source.start();
        return new EvidenceSession(source, settings, before, sinceNanosInOurEpoch);
    }

    public EvidenceSource source() {
        return source;
    }

    /** The counters read at the start: the baseline of the summary's deltas. */
    public Map<String, Long> countersAtStart() {
        return before;
    }

    /** The samples taken since the previous poll (times in our run epoch), oldest first. */
    public synchronized List<Sample> poll() throws IOException {
        List<Sample> fresh = source.samples(lastNanos);
        if (!fresh.isEmpty()) {
            lastNanos = fresh.get(fresh.size() - 1).nanos();
            fresh.forEach(tally::add);
        }
        return fresh;
    }

    /**
     * What the samples polled so far add up to (the samples themselves go to whoever polled them: the run's
     * timeline; they are not kept here, since a run may last hours).
     */
    public synchronized SampleTally tally() {
        return tally;
    }

    /**
     * Polls the last samples (handed to {@code lastSamples}, e.g. for the timeline), reads the counters again and
     * summarises; {@code client} may be null.
     */
    public synchronized KernelEvidenceSummary finish(ConsistencyCheck.ClientView client, Consumer<List<Sample>> lastSamples)
            throws IOException {
        lastSamples.accept(poll());
        Map<String, Long> after = source.counters();
        return KernelEvidenceSummary.of(source, before, after, tally, client, serverSettings);
    }

    @Override
    public void close() {
        source.close();
    }
}
