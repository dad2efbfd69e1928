package io.conlimit.merge;

import io.conlimit.record.JsonNumbers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.expect.Expectation;
import io.conlimit.expect.ExpectationParser;
import io.conlimit.fleet.Fleet;
import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import io.conlimit.results.ResultsLayout;
import io.conlimit.shard.PhaseCodec;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code conlimit merge}: one results folder from a fleet's shard folders, which {@code report}, {@code compare} and
 * expectations read as they read a single run's (docs/fleet.md#merging).
 */
public final class Merge {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Merge() {
    }

    /** The merged folder and the expectations' verdict (0 or 1). */
    public record Result(Path folder, int expectationsCode) {
    }

    /**
     * @throws MergeException when the folders are not one fleet's complete shards, or {@code out} is not empty
     */
    public static Result run(List<Path> folders, Path out, SummaryAnnotator annotator, PrintStream o, PrintStream e) throws IOException {
        ShardSet set = ShardSet.load(folders);
        boolean used;
        if (Files.isDirectory(out)) {
            try (java.util.stream.Stream<Path> l = Files.list(out)) {
                used = l.findAny().isPresent();
            }
        } else {
            used = Files.exists(out);
        }
        if (used) {
            throw new MergeException(out + ": exists and is not an empty folder (the merged folder is written whole: choose a new --out)");
        }
        Files.createDirectories(out);
        ShardFolder first = set.shards().get(0);
        List<LoadPhase> whole = new ArrayList<>();
        for (JsonNode n : first.shard().path("whole_phases")) {
            try {
                whole.add(PhaseCodec.fromJson(n));
            } catch (IllegalArgumentException ex) {
                throw new MergeException(first.folder() + "/summary.json: shard.whole_phases: " + ex.getMessage());
            }
        }
        long periodMs = Math.max(1, Math.round(first.run().path("report_period_ms").asDouble(1000)));
        Map<String, Histogram> totals = new LinkedHashMap<>();
        for (String h : MergedFiles.HLOGS) {
            totals.put(h, MergedFiles.hlog(set, h, periodMs, out));
        }
        MergedFiles.connections(set, out);
        MergedFiles.timeline(set, periodMs, out, MergedFiles.periods(out.resolve(ResultsLayout.CONNECT_HLOG)));
        ShardFolder kernelFrom = set.shards().stream()
                .filter(s -> s.summary().path("kernel").path("observed").asBoolean(false)).findFirst().orElse(first);
        MergedFiles.kernelTimeline(set, kernelFrom, out);
        MergedRows rows = MergedRows.read(out.resolve(ResultsLayout.CONNECTIONS_CSV));

        ObjectNode summary = MergedSummary.build(set, whole, totals, rows, kernelFrom);
        summary.set("fleet", JSON.valueToTree(fleet(set, kernelFrom)));
        annotator.consistency(summary);
        List<Expectation> expectations = new ArrayList<>();
        for (JsonNode t : first.shard().path("whole_expectations")) {
            expectations.add(ExpectationParser.parse(t.asText()));
        }
        writeRunJson(set, out, whole);
        o.println("merged " + set.count() + " shards of '" + summary.path("name").asText() + "' into " + out);
        printFleet(o, e, summary.path("fleet"));
        o.println("  outcomes: " + outcomesLine(summary.path("connections").asLong(), summary.path("outcomes")));
        int code = annotator.predictAndCheck(summary, wholePlan(first, whole), expectations, out, o, e);
        Files.writeString(out.resolve(ResultsLayout.SUMMARY_JSON), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        return new Result(out, code);
    }

    /** "104 connections: 4 ok, 17 connected-unserved, 83 connect-timeout" (outcomes with none left out). */
    static String outcomesLine(long connections, JsonNode outcomes) {
        List<String> parts = new ArrayList<>();
        outcomes.fields().forEachRemaining(f -> {
            if (f.getValue().asLong() != 0) {
                parts.add(f.getValue().asLong() + " " + f.getKey());
            }
        });
        return connections + " connections" + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }

    /** The plan the shards split, as far as the theory needs it: the whole load and the client's timeouts and hold. */
    private static RunPlan wholePlan(ShardFolder first, List<LoadPhase> whole) {
        JsonNode in = first.run().path("inputs");
        String hold = in.path("hold").asText("0ms");
        Duration h = hold.equals("until-end") ? null : Duration.ofMillis(Long.parseLong(hold.replace("ms", "")));
        ClientOptions client = new ClientOptions(new Probe.Connect(), Duration.ofMillis(in.path("connect_timeout_ms").asLong(3000)),
                Duration.ofMillis(in.path("response_timeout_ms").asLong(2000)), h, ClientOptions.CloseMode.FIN, List.of());
        String target = in.path("target").asText("").replaceFirst("^target ", "");
        int colon = target.lastIndexOf(':');
        TargetSpec spec = new TargetSpec.External(colon > 0 ? target.substring(0, colon) : target,
                colon > 0 ? parsePort(target.substring(colon + 1)) : 0, null, null);
        return new RunPlan(first.summary().path("name").asText("fleet"), spec, client, whole);
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** summary.json's {@code fleet} section: the shards, their real launches and the spread. */
    private static Map<String, Object> fleet(ShardSet set, ShardFolder kernelFrom) {
        Map<String, Object> m = new LinkedHashMap<>();
        JsonNode s0 = set.shards().get(0).shard();
        m.put("shards", set.count());
        m.put("start_at", s0.path("start_at").isNull() ? null : s0.path("start_at").asText());
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        boolean allLaunched = true;
        List<Integer> late = new ArrayList<>();
        List<Map<String, Object>> list = new ArrayList<>();
        for (ShardFolder s : set.shards()) {
            JsonNode sh = s.shard();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("index", s.index());
            d.put("folder", s.folder().toString());
            d.put("launch_utc", sh.path("launch_utc").isNull() ? null : sh.path("launch_utc").asText());
            d.put("launch_after_start_ms", num(sh.get("launch_after_start_ms")));
            d.put("release_after_start_ms", num(sh.get("release_after_start_ms")));
            d.put("late", sh.path("late").asBoolean(false));
            d.put("late_reason", sh.path("late_reason").isNull() ? null : sh.path("late_reason").asText());
            d.put("times_on", sh.path("times_on").asText());
            d.put("clock_offset_ms", num(sh.path("clock").get("offset_ms")));
            d.put("clock_uncertainty_ms", num(sh.path("clock").get("uncertainty_ms")));
            d.put("clock_reason", sh.path("clock").path("reason").isNull() ? null : sh.path("clock").path("reason").asText());
            list.add(d);
            if (sh.path("late").asBoolean(false)) {
                late.add(s.index());
            }
            if (sh.path("launch_unix_ns").canConvertToLong()) {
                long l = sh.path("launch_unix_ns").asLong();
                min = Math.min(min, l);
                max = Math.max(max, l);
            } else {
                allLaunched = false;
            }
        }
        m.put("launch_spread_ms", allLaunched && min <= max ? (max - min) / 1e6 : null);
        m.put("first_launch_utc", allLaunched && min <= max ? Instant.ofEpochSecond(min / 1_000_000_000L, min % 1_000_000_000L).toString() : null);
        m.put("late_shards", late);
        m.put("not_together", notTogether(set));
        m.put("kernel_from_shard", kernelFrom.index());
        m.put("epoch_from_shard", set.shards().stream().filter(s -> s.epochUnixNanos() == set.epochUnixNanos())
                .findFirst().orElseThrow().index());
        m.put("held_max_is", "the sum of the shards' held_max: exact for connections held until the end (none closes before "
                + "the last shard's maximum), an upper bound otherwise");
        m.put("shard_runs", list);
        return m;
    }

    /**
     * "shard J made its first connect() after shard K had finished" when some shard's load began after another's run
     * had ended (its connections closed): the shards did not load the server together, and the sums say so only
     * partly. Null when every shard's load began before any had finished.
     */
    static String notTogether(ShardSet set) {
        ShardFolder lastLaunch = null;
        long launch = Long.MIN_VALUE;
        ShardFolder firstEnd = null;
        long end = Long.MAX_VALUE;
        for (ShardFolder s : set.shards()) {
            JsonNode l = s.shard().path("launch_unix_ns");
            if (l.canConvertToLong() && l.asLong() > launch) {
                launch = l.asLong();
                lastLaunch = s;
            }
            long e = s.epochUnixNanos() + Math.round(s.run().path("duration_s").asDouble() * 1e9);
            if (e < end) {
                end = e;
                firstEnd = s;
            }
        }
        if (lastLaunch == null || launch <= end) {
            return null;
        }
        return String.format(Locale.ROOT, "shard %d made its first connect() %.3f ms after shard %d had finished: the shards did "
                + "not load the server together", lastLaunch.index(), (launch - end) / 1e6, firstEnd.index());
    }

    private static Double num(JsonNode n) {
        return n != null && n.isNumber() ? n.asDouble() : null;
    }

    private static void printFleet(PrintStream o, PrintStream e, JsonNode fleet) {
        JsonNode spread = fleet.path("launch_spread_ms");
        o.println("  shards' first connect() calls: " + (spread.isNumber()
                ? String.format(Locale.ROOT, "spread %.3f ms", spread.asDouble()) : "spread unknown (a shard made no call)")
                + (fleet.path("start_at").isNull() ? " (no common start instant)" : " (start instant " + fleet.path("start_at").asText() + ")"));
        if (fleet.hasNonNull("not_together")) {
            e.println("merge: " + fleet.path("not_together").asText());
        }
        for (JsonNode d : fleet.path("shard_runs")) {
            if (d.path("late").asBoolean(false)) {
                e.println("merge: shard " + d.path("index").asInt() + " started late: " + d.path("late_reason").asText());
            }
        }
        o.println("  kernel evidence from shard " + fleet.path("kernel_from_shard").asInt() + " (the server's side, taken once)");
    }

    private static void writeRunJson(ShardSet set, Path out, List<LoadPhase> whole) throws IOException {
        ShardFolder first = set.shards().get(0);
        ObjectNode run = first.run().deepCopy();
        long epoch = set.epochUnixNanos();
        Instant started = Instant.ofEpochSecond(epoch / 1_000_000_000L, epoch % 1_000_000_000L);
        run.put("complete", true);
        run.put("folder", out.toAbsolutePath().toString());
        run.put("started_utc", started.toString());
        ObjectNode ep = run.putObject("epoch");
        ep.put("unix_ms", epoch / 1_000_000L);
        ep.putNull("nano_time"); // a merged folder has no one process's clock
        double end = 0;
        for (ShardFolder s : set.shards()) {
            end = Math.max(end, set.offsetNanos(s) / 1e9 + s.run().path("duration_s").asDouble());
        }
        run.put("duration_s", JsonNumbers.round3(end));
        run.put("finished_utc", started.plusNanos(Math.round(end * 1e9)).toString());
        ObjectNode inputs = (ObjectNode) run.path("inputs");
        inputs.remove("shard");
        ArrayNode ph = inputs.putArray("phases");
        whole.forEach(p -> ph.add(Fleet.describe(p)));
        ArrayNode phases = run.putArray("phases");
        for (int i = 0; i < whole.size(); i++) {
            ObjectNode p = phases.addObject();
            p.put("index", i);
            p.put("description", Fleet.describe(whole.get(i)));
        }
        ArrayNode from = run.putArray("merged_from");
        set.shards().forEach(s -> from.add(s.folder().toAbsolutePath().toString()));
        Files.writeString(out.resolve(ResultsLayout.RUN_JSON), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(run));
    }
}
