package io.conlimit.merge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.fleet.Fleet;
import io.conlimit.plan.LoadPhase;
import io.conlimit.record.JsonNumbers;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The merged summary.json's measured part: what the shards counted, added up (outcomes, connections, SYN retransmits,
 * late starts, the census); latencies from the merged histograms; per phase, the latencies and the fleet-wide launch
 * spread from the merged connections.csv; the kernel evidence of one shard (the server's side is one kernel, whichever
 * shard observed it). The prediction, consistency and expectations are added afterwards.
 */
final class MergedSummary {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private MergedSummary() {
    }

    static ObjectNode build(ShardSet set, List<LoadPhase> whole, Map<String, Histogram> totals, MergedRows rows,
                            ShardFolder kernelFrom) {
        List<ShardFolder> shards = set.shards();
        ObjectNode first = shards.get(0).summary();
        ObjectNode s = F.objectNode();
        s.put("complete", true);
        s.put("name", first.path("name").asText());
        double duration = 0;
        for (ShardFolder sh : shards) {
            duration = Math.max(duration, set.offsetNanos(sh) / 1e9 + sh.summary().path("duration_s").asDouble());
        }
        s.put("duration_s", JsonNumbers.round3(duration));
        s.put("connections", sum(shards, "connections"));
        s.set("outcomes", sumObject(shards, "outcomes"));
        s.put("decided", sum(shards, "decided"));
        s.put("in_flight_at_end", sum(shards, "in_flight_at_end"));
        s.put("open_at_end", sum(shards, "open_at_end"));
        s.set("connect_ms", JsonNumbers.latency(totals.get("connect.hlog")));
        s.set("connect_service_ms", JsonNumbers.latency(totals.get("connect-service.hlog")));
        s.set("ttfb_ms", JsonNumbers.latency(totals.get("ttfb.hlog")));
        ObjectNode syn = s.putObject("syn_retransmits");
        syn.put("total", sum(shards, "syn_retransmits", "total"));
        syn.put("connections_with_retransmits", sum(shards, "syn_retransmits", "connections_with_retransmits"));
        syn.put("max", max(shards, "syn_retransmits", "max"));
        syn.put("unknown", sum(shards, "syn_retransmits", "unknown"));
        if (anyNull(shards, "admitted_at_once")) {
            s.putNull("admitted_at_once");
        } else {
            s.put("admitted_at_once", sum(shards, "admitted_at_once"));
        }
        s.put("late_starts", sum(shards, "late_starts"));
        s.set("late_threshold_ms", first.get("late_threshold_ms"));
        s.put("connections_csv", "connections.csv");
        s.put("connections_csv_rows", rows.rows());
        s.put("connections_csv_dropped", sum(shards, "connections_csv_dropped"));
        ArrayNode phases = s.putArray("phases");
        boolean burst = false;
        boolean probe = false;
        double spreadMax = -1;
        for (int i = 0; i < whole.size(); i++) {
            LoadPhase p = whole.get(i);
            ObjectNode ph = phases.addObject();
            ph.put("index", i);
            ph.put("kind", shards.get(0).summary().path("phases").path(i).path("kind").asText());
            ph.put("description", Fleet.describe(p));
            double started = Double.MAX_VALUE;
            for (ShardFolder sh : shards) {
                JsonNode sp = sh.summary().path("phases").path(i);
                if (sp.has("started_s")) {
                    started = Math.min(started, set.offsetNanos(sh) / 1e9 + sp.path("started_s").asDouble());
                }
            }
            ph.put("started_s", started == Double.MAX_VALUE ? 0 : JsonNumbers.round3(started));
            final int idx = i;
            List<JsonNode> parts = shards.stream().map(sh -> sh.summary().path("phases").path(idx)).toList();
            if (parts.get(0).has("connections")) {
                ph.put("connections", sumNodes(parts, "connections"));
                ObjectNode outcomes = F.objectNode();
                for (JsonNode part : parts) {
                    add(outcomes, part.path("outcomes"));
                }
                ph.set("outcomes", outcomes);
                ph.put("decided", sumNodes(parts, "decided"));
                if (parts.stream().anyMatch(n -> n.path("admitted_at_once").isNull())) {
                    ph.putNull("admitted_at_once");
                } else {
                    ph.put("admitted_at_once", sumNodes(parts, "admitted_at_once"));
                }
                ObjectNode psyn = ph.putObject("syn_retransmits");
                psyn.put("total", parts.stream().mapToLong(n -> n.path("syn_retransmits").path("total").asLong()).sum());
                psyn.put("connections_with_retransmits", parts.stream()
                        .mapToLong(n -> n.path("syn_retransmits").path("connections_with_retransmits").asLong()).sum());
                psyn.put("unknown", parts.stream().mapToLong(n -> n.path("syn_retransmits").path("unknown").asLong()).sum());
                ph.set("connect_ms", JsonNumbers.latency(rows.phaseConnect(i)));
            }
            if (p instanceof LoadPhase.Burst) {
                burst = true;
                double spread = rows.launchSpreadMs(i);
                ph.put("launch_spread_ms", spread);
                spreadMax = Math.max(spreadMax, spread);
            }
            if (p instanceof LoadPhase.HoldProbe) {
                probe = true;
                ph.put("held_max", sumNodes(parts, "held_max"));
                ph.put("served_max", sumNodes(parts, "served_max"));
                ph.put("hold_probe_stopped_by", stoppedBy(parts));
            }
            List<String> notes = new ArrayList<>();
            for (int k = 0; k < parts.size(); k++) {
                String note = parts.get(k).path("note").asText("");
                if (!note.isEmpty()) {
                    notes.add("shard " + k + ": " + note);
                }
            }
            if (!notes.isEmpty()) {
                ph.put("note", String.join("; ", notes));
            }
        }
        if (burst) {
            s.put("launch_spread_ms", spreadMax);
        }
        if (probe) {
            s.put("held_max", sum(shards, "held_max"));
            s.put("served_max", sum(shards, "served_max"));
            s.put("hold_probe_stopped_by", stoppedBy(shards.stream().map(sh -> (JsonNode) sh.summary()).toList()));
        }
        s.set("transport", first.get("transport"));
        s.set("server_sockets", census(shards, kernelFrom));
        s.set("kernel", kernelFrom.summary().get("kernel") == null ? F.nullNode() : kernelFrom.summary().get("kernel").deepCopy());
        Set<String> warnings = new LinkedHashSet<>();
        for (ShardFolder sh : shards) {
            for (JsonNode w : sh.summary().path("warnings")) {
                warnings.add("shard " + sh.index() + ": " + w.asText());
            }
        }
        if (!warnings.isEmpty()) {
            ArrayNode w = s.putArray("warnings");
            warnings.forEach(w::add);
        }
        return s;
    }

    /** The shards' censuses added up (each counted its own connections in the one server's table). */
    private static JsonNode census(List<ShardFolder> shards, ShardFolder kernelFrom) {
        ObjectNode c = F.objectNode();
        List<JsonNode> parts = shards.stream().map(sh -> sh.summary().path("server_sockets")).toList();
        boolean taken = parts.stream().allMatch(n -> n.path("taken").asBoolean(false));
        String shared = sharedNamespace(shards);
        c.put("taken", taken && shared == null);
        if (taken && shared != null) {
            c.put("reason", shared + ": each one's socket census counted the other's connections too, so the censuses "
                    + "cannot be added up (run the shards on separate machines or network namespaces)");
            return c;
        }
        if (!taken) {
            List<String> why = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                if (!parts.get(i).path("taken").asBoolean(false)) {
                    why.add("shard " + i + ": " + parts.get(i).path("reason").asText("no census"));
                }
            }
            c.put("reason", "not every shard compared its connections with the server's table (" + String.join("; ", why) + ")");
            return c;
        }
        c.putNull("reason");
        c.put("source", kernelFrom.summary().path("server_sockets").path("source").asText());
        c.put("at_s", parts.stream().mapToDouble(n -> n.path("at_s").asDouble()).max().orElse(0));
        long client = sumNodes(parts, "client_connected");
        long has = sumNodes(parts, "server_has");
        c.put("client_connected", client);
        c.put("server_has", has);
        c.put("server_syn_recv", sumNodes(parts, "server_syn_recv"));
        c.put("phantoms", sumNodes(parts, "phantoms"));
        JsonNode k = kernelFrom.summary().path("server_sockets");
        c.set("accept_queue", k.get("accept_queue"));
        c.set("backlog", k.get("backlog"));
        c.put("sentence", "the " + shards.size() + " shards held " + client + " connections; the server's kernel had " + has
                + " of them (each shard compared its own connections with the server's table at its end of the load)");
        return c;
    }

    /** "shards 0 and 1 ran in one network namespace (...)" when two did, else null. */
    static String sharedNamespace(List<ShardFolder> shards) {
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (ShardFolder sh : shards) {
            String ns = sh.shard().path("client_namespace").asText("");
            if (ns.isEmpty() || ns.contains("unknown")) {
                continue;
            }
            Integer other = seen.putIfAbsent(ns, sh.index());
            if (other != null) {
                return "shards " + other + " and " + sh.index() + " ran in one network namespace of one machine (" + ns + ")";
            }
        }
        return null;
    }

    private static String stoppedBy(List<JsonNode> parts) {
        Set<String> by = new LinkedHashSet<>();
        for (JsonNode n : parts) {
            if (n.hasNonNull("hold_probe_stopped_by")) {
                by.add(n.path("hold_probe_stopped_by").asText());
            }
        }
        return by.isEmpty() ? null : String.join(",", by);
    }

    private static long sum(List<ShardFolder> shards, String... path) {
        long t = 0;
        for (ShardFolder sh : shards) {
            t += at(sh.summary(), path).asLong();
        }
        return t;
    }

    private static long max(List<ShardFolder> shards, String... path) {
        long m = 0;
        for (ShardFolder sh : shards) {
            m = Math.max(m, at(sh.summary(), path).asLong());
        }
        return m;
    }

    private static boolean anyNull(List<ShardFolder> shards, String key) {
        return shards.stream().anyMatch(sh -> sh.summary().path(key).isNull());
    }

    private static long sumNodes(List<JsonNode> parts, String key) {
        return parts.stream().mapToLong(n -> n.path(key).asLong()).sum();
    }

    private static ObjectNode sumObject(List<ShardFolder> shards, String key) {
        ObjectNode o = F.objectNode();
        for (ShardFolder sh : shards) {
            add(o, sh.summary().path(key));
        }
        return o;
    }

    private static void add(ObjectNode into, JsonNode counts) {
        for (Iterator<Map.Entry<String, JsonNode>> it = counts.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            into.put(e.getKey(), into.path(e.getKey()).asLong() + e.getValue().asLong());
        }
    }

    private static JsonNode at(JsonNode n, String... path) {
        for (String p : path) {
            n = n.path(p);
        }
        return n;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
