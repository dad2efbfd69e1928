package io.conlimit.fleet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fleet run did, beside the per-connection records the listener received.
 *
 * @param transport          "epoll" or "nio"
 * @param synRetransmitsKnown false on NIO (every record's synRetransmits is -1)
 * @param phases             per phase, in order
 * <p>
 * Connections started and late starts are not here: the listener (the recording) counts them from what it is
 * told, once (docs/results.md: late_starts, catch_up).
 */
public record FleetResult(String transport, boolean synRetransmitsKnown, List<PhaseResult> phases) {

    public FleetResult {
        phases = List.copyOf(phases);
    }

    /**
     * One phase.
     *
     * @param kind              burst, rate, ramp, hold-probe, pause
     * @param launchSpreadNanos burst: last connect() call minus first; -1 for other phases
     * @param heldMax           hold probe: the largest number of connections held at once (handshake completed, not
     *                          refused by the application); -1 for other phases
     * @param servedMax         hold probe: the largest number of those the application had served (ok) at once; -1 for other phases
     * @param stoppedBy         hold probe: why it stopped (failures, max-held, client-limited, attempts); null for other phases
     * @param note              anything that went wrong with the shape itself (e.g. the burst release barrier broke), "" otherwise
     */
    public record PhaseResult(int index, String kind, String description, long launchSpreadNanos, int heldMax,
                              int servedMax, String stoppedBy, String note) {
    }

    /** The largest launch spread of the burst phases, -1 when there is none. */
    public long launchSpreadNanos() {
        return phases.stream().mapToLong(PhaseResult::launchSpreadNanos).max().orElse(-1);
    }

    /** The largest number held at once in the hold-probe phases, -1 when there is none. */
    public int heldMax() {
        return phases.stream().mapToInt(PhaseResult::heldMax).max().orElse(-1);
    }

    /**
     * Per phase (index-aligned), the fleet's figures for summary.json's {@code phases}: kind, and those that apply of
     * launch_spread_ms, held_max, served_max, hold_probe_stopped_by, note.
     */
    public List<Map<String, Object>> phaseExtras() {
        return phases.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", p.kind());
            if (p.launchSpreadNanos() >= 0) {
                m.put("launch_spread_ms", p.launchSpreadNanos() / 1e6);
            }
            if (p.kind().equals("hold-probe")) {
                m.put("held_max", p.heldMax());
                m.put("served_max", p.servedMax());
                m.put("hold_probe_stopped_by", p.stoppedBy());
            }
            if (!p.note().isEmpty()) {
                m.put("note", p.note());
            }
            return (Map<String, Object>) m;
        }).toList();
    }

    /** The figures summary.json takes from the fleet: launch_spread_ms, held_max (those that apply) and the transport. Late starts are counted by the recording from the records. */
    public Map<String, Object> summaryExtras() {
        Map<String, Object> m = new LinkedHashMap<>();
        boolean burst = phases.stream().anyMatch(p -> p.kind().equals("burst"));
        boolean probe = phases.stream().anyMatch(p -> p.kind().equals("hold-probe"));
        if (burst) {
            m.put("launch_spread_ms", launchSpreadNanos() / 1e6);
        }
        if (probe) {
            m.put("held_max", heldMax());
            m.put("served_max", phases.stream().mapToInt(PhaseResult::servedMax).max().orElse(-1));
            m.put("hold_probe_stopped_by", phases.stream().filter(p -> p.stoppedBy() != null)
                    .map(PhaseResult::stoppedBy).reduce((a, b) -> b).orElse(null));
        }
        m.put("transport", transport);
        return m;
    }
}
