package io.conlimit.fleet;

import io.netty.buffer.ByteBuf;

import java.util.Set;

/**
 * The postgres probe's answer to its StartupMessage, message by message (type byte, int32 length including itself,
 * body). An authentication request that needs a password ({@code R} with a non-zero code) is served: the server
 * has a backend waiting for it. AuthenticationOk ({@code R} 0, trust) is followed by ParameterStatus, BackendKeyData
 * and notices, which are skipped, and then ReadyForQuery ({@code Z}): served, a session. {@code E} (ErrorResponse:
 * fields of a code byte and a NUL-terminated string) with SQLSTATE 53300 (too many connections), 53400
 * (configuration limit exceeded) or 57P03 (cannot connect now) is refused, detail
 * {@code postgres 53300: sorry, too many clients already}; any other SQLSTATE (28000, 28P01, 3D000: unknown role,
 * bad password, no such database, before or after AuthenticationOk) is an {@code error}: the server refused this
 * session for the probe's own settings, which say nothing about its connection limit.
 */
final class PostgresDecoder implements ReplyDecoder {
    static final Set<String> REFUSALS = Set.of("53300", "53400", "57P03");
    private static final int HEADER = 5;
    private final AnswerBuffer message = new AnswerBuffer(HEADER + ANSWER_CAP);
    /** AuthenticationOk seen: now waiting for ReadyForQuery or an ErrorResponse. */
    private boolean authenticated;
    /** Bytes left of a message being skipped (ParameterStatus, BackendKeyData, NoticeResponse). */
    private int skip;

    @Override
    public Classifier.Verdict feed(ByteBuf buf) {
        int at = buf.readerIndex();
        int end = buf.writerIndex();
        while (at < end) {
            if (skip > 0) {
                int k = Math.min(skip, end - at);
                skip -= k;
                at += k;
                continue;
            }
            int need = message.length() < HEADER ? HEADER - message.length() : 1 + message.be32(1) - message.length();
            int take = Math.min(need, end - at);
            message.append(buf, at, take);
            at += take;
            int type = message.get(0);
            if (!expected(type)) {
                return ReplyDecoder.malformed(String.format(java.util.Locale.ROOT, "not a PostgreSQL reply: message type 0x%02x%s",
                        type, authenticated ? " after AuthenticationOk" : ""));
            }
            if (message.length() < HEADER) {
                continue;
            }
            int length = message.be32(1);
            if (length < 4 || length > ANSWER_CAP) {
                return ReplyDecoder.malformed("not a PostgreSQL message: length " + length);
            }
            if (authenticated && type != 'Z' && type != 'E') {
                skip = length - 4; // ParameterStatus, BackendKeyData, NoticeResponse: not needed
                message.clear();
                continue;
            }
            if (message.length() < 1 + length) {
                continue;
            }
            if (type == 'Z') {
                return ReplyDecoder.served("postgres session ready (authentication ok)");
            }
            if (type == 'E') {
                return error(1 + length);
            }
            int code = length >= 8 ? message.be32(HEADER) : -1;
            if (code != 0) {
                return ReplyDecoder.served("postgres authentication request" + (code < 0 ? "" : " " + method(code)));
            }
            authenticated = true;
            message.clear();
        }
        return null;
    }

    private boolean expected(int type) {
        return authenticated ? type == 'S' || type == 'K' || type == 'N' || type == 'Z' || type == 'E' : type == 'R' || type == 'E';
    }

    private static String method(int code) {
        return switch (code) {
            case 0 -> "(ok)";
            case 3 -> "(cleartext password)";
            case 5 -> "(md5)";
            case 10 -> "(SASL)";
            default -> "(" + code + ")";
        };
    }

    private Classifier.Verdict error(int end) {
        String code = null;
        String text = "";
        int i = HEADER;
        while (i < end && message.get(i) != 0) {
            int field = message.get(i);
            int nul = message.indexOf(0, i + 1, end);
            if (nul < 0) {
                return ReplyDecoder.malformed("PostgreSQL ErrorResponse field without its NUL");
            }
            if (field == 'C') {
                code = message.text(i + 1, nul);
            } else if (field == 'M') {
                text = message.text(i + 1, nul);
            }
            i = nul + 1;
        }
        if (code == null) {
            return ReplyDecoder.malformed("PostgreSQL ErrorResponse without a SQLSTATE");
        }
        String detail = "postgres " + ReplyDecoder.clip(code) + ": " + ReplyDecoder.clip(text);
        return REFUSALS.contains(code) ? ReplyDecoder.refused(detail)
                : ReplyDecoder.malformed(detail + " (refused for the probe's own user or database, not for a limit:"
                + " --probe postgres:USER/DB)");
    }
}
