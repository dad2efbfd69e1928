package io.conlimit.record;

import io.conlimit.fleet.ConnectionRecord;

/** Formatting shared by the CSV writers: milliseconds with 3 decimals, RFC 4180 quoting. */
final class CsvFormat {
    private CsvFormat() {
    }

    /** Nanoseconds as milliseconds with exactly 3 decimals (truncated to the microsecond); "" for -1 (never happened). */
    static void appendMs(StringBuilder sb, long nanos) {
        if (nanos == -1) {
            return;
        }
        long micros = nanos / 1000;
        if (micros < 0) {
            sb.append('-');
            micros = -micros;
        }
        sb.append(micros / 1000).append('.');
        long frac = micros % 1000;
        if (frac < 100) {
            sb.append('0');
        }
        if (frac < 10) {
            sb.append('0');
        }
        sb.append(frac);
    }

    /** Quotes a field when it holds a comma, a quote or a line break. */
    static void appendField(StringBuilder sb, String s) {
        if (s == null || s.isEmpty()) {
            return;
        }
        boolean quote = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
        if (!quote) {
            sb.append(s);
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                sb.append('"');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    /** One connections.csv line (no line break), columns as {@code ResultsLayout.CONNECTION_COLUMNS}. */
    static void appendConnection(StringBuilder sb, ConnectionRecord r) {
        sb.append(r.id()).append(',').append(r.phase()).append(',');
        appendMs(sb, r.intendedNanos());
        sb.append(',');
        appendMs(sb, r.connectCallNanos());
        sb.append(',');
        appendMs(sb, r.connectedNanos());
        sb.append(',');
        appendMs(sb, r.firstByteNanos());
        sb.append(',');
        appendMs(sb, r.decidedNanos());
        sb.append(',');
        appendMs(sb, r.closedNanos());
        sb.append(',').append(r.outcome().key()).append(',');
        if (r.synRetransmits() >= 0) {
            sb.append(r.synRetransmits());
        }
        sb.append(',');
        appendField(sb, r.local());
        sb.append(',');
        appendField(sb, r.close());
        sb.append(',');
        appendField(sb, r.detail());
    }
}
