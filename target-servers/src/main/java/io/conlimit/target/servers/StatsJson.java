package io.conlimit.target.servers;

import io.conlimit.json.Json;
import io.conlimit.target.BacklogReport;
import io.conlimit.target.ServerStats;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/** The stats endpoint's JSON (this module carries no JSON library: {@link Json} writes it). */
public final class StatsJson {
    private StatsJson() {
    }

    /**
     * {@code {"kind","address","accepted","in_service","served","closed","queued",
     * "backlog":{"requested","passed","effective","effective_source","somaxconn"}}}; an unknown
     * effective backlog or somaxconn is {@code null}.
     */
    public static String of(String kind, InetSocketAddress address, ServerStats s, BacklogReport b) {
        Map<String, Object> backlog = new LinkedHashMap<>();
        backlog.put("requested", b.requested().toString());
        backlog.put("passed", b.passed());
        backlog.put("effective", b.effective() < 0 ? null : b.effective());
        backlog.put("effective_source", b.effectiveSource());
        backlog.put("somaxconn", b.somaxconn() < 0 ? null : b.somaxconn());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("address", Addresses.format(address));
        m.put("accepted", s.accepted());
        m.put("in_service", s.inService());
        m.put("served", s.served());
        m.put("closed", s.closed());
        m.put("queued", s.queued());
        m.put("backlog", backlog);
        return Json.write(m);
    }
}
