package io.conlimit.fleet;

import io.netty.buffer.ByteBuf;

import java.util.Set;

/**
 * The postgres probe's answer to its StartupMessage: one message (type byte, int32 length including itself,
 * body). {@code R} (an authentication request) is served. {@code E} (ErrorResponse: fields of a code byte and
 * a NUL-terminated string) with SQLSTATE 53300 (too many connections), 53400 (configuration limit exceeded) or
 * 57P03 (cannot connect now) is refused, detail {@code postgres 53300: sorry, too many clients already}; any
 * other SQLSTATE (28000, 28P01, 3D000: unknown role, bad password, no such database) means the server processed
 * the startup: served, with the code in the detail.
 */
final class PostgresDecoder implements ReplyDecoder {
    static final Set<String> REFUSALS = Set.of("53300", "53400", "57P03");
    private static final int HEADER = 5;
    private final AnswerBuffer message = new AnswerBuffer(HEADER + ANSWER_CAP);

    @Override
    public Classifier.Verdict feed(ByteBuf buf) {
        int n = buf.readableBytes();
        if (message.length() >= HEADER) {
            n = Math.min(n, 1 + message.be32(1) - message.length());
        }
        message.append(buf, buf.readerIndex(), Math.min(n, HEADER + ANSWER_CAP - message.length()));
        if (message.length() == 0) {
            return null;
        }
        int type = message.get(0);
        if (type != 'R' && type != 'E') {
            return ReplyDecoder.malformed(String.format(java.util.Locale.ROOT, "not a PostgreSQL reply: message type 0x%02x", type));
        }
        if (message.length() < HEADER) {
            return null;
        }
        int length = message.be32(1);
        if (length < 4 || length > ANSWER_CAP) {
            return ReplyDecoder.malformed("not a PostgreSQL message: length " + length);
        }
        if (message.length() < 1 + length) {
            return null;
        }
        return type == 'R' ? authentication(length) : error(1 + length);
    }

    private Classifier.Verdict authentication(int length) {
        String method = length >= 8 ? " " + method(message.be32(HEADER)) : "";
        return ReplyDecoder.served("postgres authentication request" + method);
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
                : ReplyDecoder.served(detail + " (served: the server processed the startup)");
    }
}
