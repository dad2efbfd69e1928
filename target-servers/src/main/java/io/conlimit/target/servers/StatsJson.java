package io.conlimit.target.servers;

import io.conlimit.target.BacklogReport;
import io.conlimit.target.ServerStats;

import java.net.InetSocketAddress;

/** The stats endpoint's JSON, written by hand (this module carries no JSON library). */
public final class StatsJson {
    private StatsJson() {
    }

    /**
     * {@code {"kind","address","accepted","in_service","served","closed","queued",
     * "backlog":{"requested","passed","effective","effective_source","somaxconn"}}}; an unknown
     * effective backlog or somaxconn is {@code null}.
     */
    public static String of(String kind, InetSocketAddress address, ServerStats s, BacklogReport b) {
        StringBuilder sb = new StringBuilder(256);
        sb.append('{');
        string(sb, "kind", kind).append(',');
        string(sb, "address", Addresses.format(address)).append(',');
        number(sb, "accepted", s.accepted()).append(',');
        number(sb, "in_service", s.inService()).append(',');
        number(sb, "served", s.served()).append(',');
        number(sb, "closed", s.closed()).append(',');
        number(sb, "queued", s.queued()).append(',');
        sb.append("\"backlog\":{");
        string(sb, "requested", b.requested().toString()).append(',');
        number(sb, "passed", b.passed()).append(',');
        nullable(sb, "effective", b.effective()).append(',');
        string(sb, "effective_source", b.effectiveSource()).append(',');
        nullable(sb, "somaxconn", b.somaxconn());
        sb.append("}}");
        return sb.toString();
    }

    private static StringBuilder number(StringBuilder sb, String key, long v) {
        return quote(sb, key).append(':').append(v);
    }

    private static StringBuilder nullable(StringBuilder sb, String key, int v) {
        quote(sb, key).append(':');
        return v < 0 ? sb.append("null") : sb.append(v);
    }

    private static StringBuilder string(StringBuilder sb, String key, String v) {
        quote(sb, key).append(':');
        return v == null ? sb.append("null") : quote(sb, v);
    }

    static StringBuilder quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"');
    }
}
