package io.conlimit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.evidence.ClockAlignment;
import io.conlimit.evidence.ConsistencyCheck;
import io.conlimit.evidence.KernelEvidenceSummary;
import io.conlimit.results.ResultsLayout;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** summary.json's "kernel" object and the console block, from a run's {@link KernelEvidenceSummary}. */
final class KernelSection {
    private KernelSection() {
    }

    /** What the client saw, from the recording's summary.json: the consistency check's other side. */
    static ConsistencyCheck.ClientView clientView(ObjectNode summary) {
        JsonNode syn = summary.path("syn_retransmits");
        long total = syn.path("total").asLong();
        // the NIO transport has no TCP_INFO: the retransmits are unknown, not zero (the fleet writes "transport";
        // on epoll, connections that never had a socket, e.g. client-limited, are unknown but sent no SYN)
        long retrans = "nio".equals(summary.path("transport").asText()) ? -1 : total;
        JsonNode outcomes = summary.path("outcomes");
        JsonNode census = summary.path("server_sockets");
        boolean taken = census.path("taken").asBoolean(false);
        return new ConsistencyCheck.ClientView(retrans, outcomes.path("connect-timeout").asLong(),
                outcomes.path("connected-unserved").asLong(), taken ? census.path("phantoms").asLong() : -1,
                taken ? census.path("server_syn_recv").asLong() : -1, outcomes.path("refused").asLong());
    }

    /** The census block: what both socket tables said while the held connections were open. */
    static void printCensus(PrintStream out, JsonNode census) {
        if (!census.path("taken").asBoolean(false)) {
            out.println("  sockets: not compared (" + census.path("reason").asText("no census") + ")");
            return;
        }
        out.printf(Locale.ROOT, "  sockets at %.3f s (both kernels' tables): %s%n", census.path("at_s").asDouble(),
                census.path("sentence").asText());
    }

    /** The "kernel" object of an observed run (consistency goes to its own top-level key). */
    static Map<String, Object> observed(KernelEvidenceSummary k, String listener, long rows, long pollErrors,
                                        String lastPollError) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("observed", true);
        m.put("reason", null);
        m.put("listener", listener);
        Map<String, Object> all = k.toJson();
        all.remove("consistency");
        Object settings = all.remove("server_settings");
        m.putAll(all);
        m.put("timeline_file", ResultsLayout.KERNEL_TIMELINE_CSV);
        m.put("timeline_rows", rows);
        m.put("poll_errors", pollErrors);
        m.put("last_poll_error", lastPollError);
        m.put("server_settings", settings);
        return m;
    }

    /** The "kernel" object when the server's kernel was not observed, and why. */
    static Map<String, Object> notObserved(String source, String listener, String reason) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("observed", false);
        m.put("reason", reason);
        m.put("listener", listener);
        m.put("source", source);
        m.put("sampling_rate_hz", null);
        m.put("samples", 0);
        m.put("queue_max_seen", null);
        m.put("backlog_seen", null);
        m.put("queue_full_at_s", null);
        m.put("first_overflow_at_s", null);
        m.put("counters_delta", null);
        m.put("clock", null);
        return m;
    }

    static void print(PrintStream out, KernelEvidenceSummary k, String listener) {
        Map<String, Long> d = k.countersDelta();
        out.printf(Locale.ROOT, "%nServer kernel (%s, %s, %d samples of %s):%n", k.source(),
                Double.isNaN(k.rateHz()) ? "rate unknown" : num(k.rateHz()) + " Hz", k.samples(), listener);
        if (k.backlogSeen() < 0) {
            out.println("  no listener on " + listener + " in any sample");
        } else {
            out.printf(Locale.ROOT, "  backlog (Send-Q) %d, max accept queue seen %d%n", k.backlogSeen(), k.queueMaxSeen());
        }
        out.printf(Locale.ROOT, "  ListenOverflows +%d, ListenDrops +%d, SYN cookies sent +%d, SYN-queue drops +%d"
                        + " (counters of the server's whole network namespace)%n",
                d.getOrDefault("ListenOverflows", 0L), d.getOrDefault("ListenDrops", 0L),
                Math.max(d.getOrDefault("TCPReqQFullDoCookies", 0L), d.getOrDefault("SyncookiesSent", 0L)),
                d.getOrDefault("TCPReqQFullDrop", 0L));
        if (k.backlogSeen() >= 0 && k.queueMaxSeen() <= k.backlogSeen() && d.getOrDefault("ListenOverflows", 0L) > 0) {
            out.printf(Locale.ROOT, "  no sample saw the queue full (%d > %d) although ListenOverflows moved: it filled and"
                            + " drained between two samples, or another listener in the namespace overflowed%n",
                    k.backlogSeen() + 1, k.backlogSeen());
        }
        k.clock().ifPresent(c -> out.println("  " + clockLine(c)));
        k.consistency().ifPresent(v -> out.println("  consistency: " + v.status().name().toLowerCase(Locale.ROOT)
                + ". " + v.explanation()));
        out.flush();
    }

    static String clockLine(ClockAlignment c) {
        return String.format(Locale.ROOT, "agent clock offset %.3f ms ± %.3f ms (best of %d round trips, RTT %.3f ms)",
                c.offsetNanos() / 1e6, c.uncertaintyNanos() / 1e6, c.rounds(), c.rttNanos() / 1e6);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
