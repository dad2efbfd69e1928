package io.conlimit.evidence;

import io.conlimit.kernel.TcpExtCounters;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The server kernel's evidence over one run, for summary.json ("kernel_evidence").
 *
 * @param source        "local", "namespace NAME" or "agent host:port"
 * @param rateHz        sampling rate
 * @param samples       samples taken during the run
 * @param countersDelta LISTEN_EVIDENCE counters, after minus before the run
 * @param queueMaxSeen  the largest accept-queue length (Recv-Q) sampled, -1 when no listener was ever found
 * @param backlogSeen   the largest accept-queue maximum (Send-Q, the effective backlog) sampled, -1 likewise
 * @param clock         the agent's clock alignment, empty for a local source
 * @param consistency   the client/server comparison, empty when the client's view was not given
 * @param serverSettings the server side's sysinfo (kernel version, sysctls, limits, SYN schedule), may be empty
 * @param queueFullAtNanos    run-epoch time of the first sample whose accept queue was full (Recv-Q above the
 *                            backlog), -1 when none was
 * @param firstOverflowNanos  run-epoch time of the first sample whose ListenOverflows counter had grown since the
 *                            run's start, -1 when none had
 */
public record KernelEvidenceSummary(String source, double rateHz, long samples, Map<String, Long> countersDelta,
                                    int queueMaxSeen, int backlogSeen, Optional<ClockAlignment> clock,
                                    Optional<ConsistencyCheck.Verdict> consistency, Map<String, Object> serverSettings,
                                    long queueFullAtNanos, long firstOverflowNanos) {

    public KernelEvidenceSummary {
        countersDelta = Collections.unmodifiableMap(new LinkedHashMap<>(countersDelta));
        serverSettings = serverSettings == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(serverSettings));
    }

    /** Summarises a run's samples (their tally: a long run does not keep them, {@link SampleTally}) and counters; {@code client} may be null (no consistency check then). */
    public static KernelEvidenceSummary of(EvidenceSource source, Map<String, Long> before, Map<String, Long> after,
                                           SampleTally tally, ConsistencyCheck.ClientView client,
                                           Map<String, Object> serverSettings) {
        Map<String, Long> delta = TcpExtCounters.delta(before, after, TcpExtCounters.LISTEN_EVIDENCE);
        int backlog = tally.backlogMax();
        return new KernelEvidenceSummary(source.describe(), source.rateHz(), tally.count(), delta, tally.queueMax(), backlog,
                source.clock(), client == null ? Optional.empty()
                        : Optional.of(tally.count() > 0 && backlog < 0 ? ConsistencyCheck.noListener(client, tally.count(), delta)
                        : ConsistencyCheck.check(client, delta)),
                serverSettings, tally.fullAt(), tally.overflowAt());
    }

    static final String OVERFLOWS = "ListenOverflows";

    /** The "kernel_evidence" object of summary.json. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source);
        m.put("sampling_rate_hz", Double.isNaN(rateHz) ? null : rateHz);
        m.put("samples", samples);
        m.put("queue_max_seen", queueMaxSeen);
        m.put("backlog_seen", backlogSeen);
        m.put("queue_full_at_s", queueFullAtNanos < 0 ? null : Math.round(queueFullAtNanos / 1e6) / 1000.0);
        m.put("first_overflow_at_s", firstOverflowNanos < 0 ? null : Math.round(firstOverflowNanos / 1e6) / 1000.0);
        m.put("counters_delta", countersDelta);
        m.put("clock", clock.map(ClockAlignment::toJson).orElse(null));
        m.put("consistency", consistency.map(ConsistencyCheck.Verdict::toJson).orElse(null));
        if (!serverSettings.isEmpty()) {
            m.put("server_settings", serverSettings);
        }
        return m;
    }
}
