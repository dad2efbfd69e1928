package io.conlimit.expect;

import com.fasterxml.jackson.databind.JsonNode;
import io.conlimit.cli.Main;
import io.conlimit.plan.LoadPhase;
import io.conlimit.results.ResultsFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary keys validate accepts are those real runs write, and no more. */
class SummaryShapeTest {
    /** Keys a summary may have that no expectation can address when it is checked (see SummaryShape). */
    private static final Set<String> NOT_ADDRESSABLE = Set.of("expectations", "lab", "warnings", "recording_errors", "incomplete_reason");

    @TempDir
    Path dir;

    private static final List<LoadPhase> BURST = List.of(new LoadPhase.Burst(10));
    private static final List<LoadPhase> HOLD = List.of(new LoadPhase.HoldProbe(Duration.ofMillis(10), 5, 3));

    @Test
    void pathsOfTheLoadAreKnownAndOthersAreExplained() {
        SummaryShape burst = SummaryShape.of(BURST);
        assertEquals(Optional.empty(), burst.problem(MetricPath.of("connect.p99")));
        assertEquals(Optional.empty(), burst.problem(MetricPath.of("ok")));
        assertEquals(Optional.empty(), burst.problem(MetricPath.of("launch_spread")));
        assertEquals(Optional.empty(), burst.problem(MetricPath.of("kernel.counters_delta.ListenOverflows")));
        assertEquals(Optional.empty(), burst.problem(MetricPath.of("kernel.server_settings.open_files_limit")));
        assertEquals(Optional.empty(), burst.problem(MetricPath.of("limit.measured")));
        assertEquals(Optional.of("'held_max' is in summary.json only when the load has a hold phase (the hold probe); this load has none"),
                burst.problem(MetricPath.of("held_max")));
        assertEquals(Optional.of("no 'ListenOverflow' in kernel.counters_delta; did you mean 'ListenOverflows'? (available: "
                        + "ListenOverflows, ListenDrops, TCPReqQFullDoCookies, TCPReqQFullDrop, SyncookiesSent, SyncookiesRecv, "
                        + "SyncookiesFailed, TCPSynRetrans, EmbryonicRsts)"),
                burst.problem(MetricPath.of("kernel.counters_delta.ListenOverflow")));
        assertEquals(Optional.of("connections is a value, so it has no 'total'"), burst.problem(MetricPath.of("connections.total")));
        assertTrue(burst.problem(MetricPath.of("lab.backlog_effective")).orElseThrow().startsWith("no 'lab' in summary.json (available: "));
        SummaryShape hold = SummaryShape.of(HOLD);
        assertEquals(Optional.empty(), hold.problem(MetricPath.of("held_max")));
        assertEquals(Optional.of("'launch_spread_ms' is in summary.json only when the load has a burst phase; this load has none"),
                hold.problem(MetricPath.of("launch_spread")));
    }

    @Test
    void everyKeyOfRealSummariesIsKnown() throws Exception {
        Path b = dir.resolve("burst");
        assertEquals(0, Main.execute("run", "--burst", "10", "--out", b.toString()));
        Path h = dir.resolve("hold");
        assertEquals(0, Main.execute("run", "--hold-probe", "--max-held", "5", "--out", h.toString()));
        for (Map.Entry<Path, List<LoadPhase>> run : Map.of(b, BURST, h, HOLD).entrySet()) {
            JsonNode s = ResultsFolder.load(run.getKey()).requireSummary();
            SummaryShape shape = SummaryShape.of(run.getValue());
            List<String> unknown = new ArrayList<>();
            walk(s, new ArrayList<>(), shape, unknown);
            assertEquals(List.of(), unknown, "keys of " + run.getKey() + "/summary.json that SummaryShape does not know");
            assertTrue(s.path("kernel").path("observed").asBoolean(), "the kernel section was there to check: " + s.path("kernel"));
        }
    }

    private static void walk(JsonNode n, List<String> at, SummaryShape shape, List<String> unknown) {
        if (!n.isObject()) {
            return;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (at.isEmpty() && NOT_ADDRESSABLE.contains(k)) {
                continue;
            }
            List<String> path = new ArrayList<>(at);
            path.add(k);
            if (!shape.knows(path)) {
                unknown.add(String.join(".", path));
            } else {
                walk(n.get(k), path, shape, unknown);
            }
        }
    }
}
