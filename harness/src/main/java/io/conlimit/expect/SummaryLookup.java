package io.conlimit.expect;

import com.fasterxml.jackson.databind.JsonNode;
import io.conlimit.util.Suggest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds a {@link MetricPath} in a summary; when it is not there, says what is there instead. */
final class SummaryLookup {
    /** At most this many sibling keys are listed in a "not found" message. */
    static final int MAX_LISTED = 12;

    /** The node found, or a problem sentence (and a null node). */
    record Found(JsonNode node, String problem) {
    }

    private SummaryLookup() {
    }

    static Found find(JsonNode root, MetricPath path) {
        JsonNode cur = root;
        String where = "summary.json";
        for (String seg : path.segments()) {
            if (cur != null && cur.isArray()) {
                if (!seg.chars().allMatch(Character::isDigit) || seg.length() > 6 || Integer.parseInt(seg) >= cur.size()) {
                    return new Found(null, where + " is a list of " + cur.size() + ", so '" + seg + "' is not in it (an index 0.."
                            + Math.max(0, cur.size() - 1) + ")");
                }
                cur = cur.get(Integer.parseInt(seg));
                where = where + "." + seg;
                continue;
            }
            if (cur == null || !cur.isObject()) {
                return new Found(null, where + " is " + describe(cur) + ", so it has no '" + seg + "'");
            }
            JsonNode next = cur.get(seg);
            if (next == null) {
                List<String> keys = new ArrayList<>();
                cur.fieldNames().forEachRemaining(keys::add);
                Optional<String> near = Suggest.nearest(seg, keys);
                StringBuilder b = new StringBuilder("no '").append(seg).append("' in ").append(where);
                near.ifPresent(n -> b.append("; did you mean '").append(n).append("'?"));
                b.append(" (available: ");
                b.append(keys.isEmpty() ? "none" : String.join(", ", keys.subList(0, Math.min(MAX_LISTED, keys.size()))));
                if (keys.size() > MAX_LISTED) {
                    b.append(", ... ").append(keys.size() - MAX_LISTED).append(" more");
                }
                b.append(')');
                JsonNode reason = cur.get("reason"); // a section that was not taken says why (server_sockets, kernel)
                if (reason != null && reason.isTextual() && !reason.textValue().isBlank()) {
                    b.append(": ").append(where).append(".reason: ").append(reason.textValue());
                }
                return new Found(null, b.toString());
            }
            where = where.equals("summary.json") ? seg : where + "." + seg;
            cur = next;
        }
        if (cur.isNull()) {
            return new Found(null, where + " is null in summary.json");
        }
        return new Found(cur, null);
    }

    static String describe(JsonNode n) {
        if (n == null || n.isNull()) {
            return "null";
        }
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            return "an object (keys: " + String.join(", ", keys.subList(0, Math.min(MAX_LISTED, keys.size()))) + ")";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isTextual()) {
            return "the text '" + n.textValue() + "'";
        }
        return n.toString();
    }
}
