package io.conlimit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.fleet.Outcome;
import io.conlimit.results.ResultsFolder;
import io.conlimit.results.ResultsLayout;
import io.conlimit.results.TimelineRow;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a run's page shows, as one JSON object built from the run folder's files (docs/results.md): run.json and
 * summary.json whole, the timeline's columns, the connections' scatter and held counts, the kernel's samples and
 * the latency distributions. A file the folder lacks leaves its part null, with the reason in {@code absent}.
 */
final class RunData {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The held-connections curve has at most about this many bins. */
    static final int HELD_BINS = 1000;

    private RunData() {
    }

    static ObjectNode build(Path folder) throws IOException {
        ResultsFolder f = ResultsFolder.load(folder);
        ObjectNode d = NODES.objectNode();
        ObjectNode absent = NODES.objectNode();
        d.put("folder", folder.toAbsolutePath().normalize().toString());
        d.put("name", f.name());
        d.put("complete", f.complete());
        d.set("run", f.run());
        d.set("summary", f.summary().map(s -> (JsonNode) s).orElse(NODES.nullNode()));
        if (f.summary().isEmpty()) {
            absent.put("summary", "the run never wrote summary.json (killed before it could finish)");
        }
        List<TimelineRow> rows = f.timeline();
        double[] ends = rows.stream().mapToDouble(TimelineRow::second).toArray();
        d.set("timeline", timeline(rows));
        if (rows.isEmpty()) {
            absent.put("timeline", "timeline.csv has no interval");
        }
        double endS = Math.max(ends.length == 0 ? 0 : ends[ends.length - 1],
                f.summary().map(s -> s.path("duration_s").asDouble(0)).orElse(0.0));

        Optional<Path> conns = f.connectionsFile();
        if (conns.isPresent()) {
            Connections c = Connections.read(conns.get());
            d.set("scatter", c.scatter());
            long dropped = f.summary().map(s -> s.path("connections_csv_dropped").asLong(0)).orElse(0L);
            if (dropped > 0) {
                absent.put("intended", conns.get().getFileName() + " lacks " + dropped
                        + " connections (--connections-cap): the intended starts are not all known");
            } else if (!rows.isEmpty()) {
                ArrayNode a = ((ObjectNode) d.get("timeline")).putArray("intended");
                for (long v : c.intendedPerInterval(ends)) {
                    a.add(v);
                }
            }
            double bin = Math.max(0.01, Math.ceil(endS / HELD_BINS * 100.0) / 100.0);
            d.set("held", c.heldPeaks(endS, bin));
            if (dropped > 0) {
                absent.put("held_partial", dropped + " connections are not in " + conns.get().getFileName()
                        + " (--connections-cap): the held count misses them");
            }
        } else {
            d.putNull("scatter");
            d.putNull("held");
            absent.put("scatter", "the folder has no connections.csv");
        }
        JsonNode schedule = f.summary().map(s -> s.path("prediction").path("client_syn_schedule").path("retransmit_at_s"))
                .orElse(NODES.missingNode());
        d.set("syn_schedule_s", schedule.isArray() ? schedule : NODES.nullNode());

        Optional<Path> kernel = f.file(ResultsLayout.KERNEL_TIMELINE_CSV);
        if (kernel.isPresent()) {
            d.set("kernel", KernelSamples.read(kernel.get()));
        } else {
            d.putNull("kernel");
            String why = f.summary().map(s -> s.path("kernel").path("reason").asText("")).orElse("");
            absent.put("kernel", why.isEmpty() ? "the server's kernel was not observed (no kernel-timeline.csv)"
                    : "the server's kernel was not observed: " + why);
        }

        ArrayNode curves = d.putArray("percentiles");
        String[][] logs = {{ResultsLayout.CONNECT_HLOG, "connect", "connect latency from the intended start"},
                {ResultsLayout.CONNECT_SERVICE_HLOG, "connect_service", "connect latency from the connect() call"},
                {ResultsLayout.TTFB_HLOG, "ttfb", "time to first response byte"}};
        for (String[] l : logs) {
            Optional<Path> p = f.file(l[0]);
            if (p.isPresent()) {
                curves.add(Percentiles.curve(p.get(), l[1], l[2]));
            }
        }
        d.set("absent", absent);
        return d;
    }

    private static ObjectNode timeline(List<TimelineRow> rows) {
        ObjectNode t = NODES.objectNode();
        ArrayNode start = t.putArray("start");
        ArrayNode end = t.putArray("end");
        ArrayNode started = t.putArray("started");
        ArrayNode inFlight = t.putArray("in_flight");
        ArrayNode late = t.putArray("late_starts");
        ObjectNode outcomes = t.putObject("outcomes");
        for (Outcome o : Outcome.values()) {
            outcomes.putArray(o.key());
        }
        double previous = 0;
        for (TimelineRow r : rows) {
            start.add(previous);
            end.add(r.second());
            previous = r.second();
            started.add(r.started());
            inFlight.add(r.inFlight());
            late.add(r.lateStarts());
            for (Outcome o : Outcome.values()) {
                ((ArrayNode) outcomes.get(o.key())).add(r.outcome(o));
            }
        }
        return t;
    }
}
