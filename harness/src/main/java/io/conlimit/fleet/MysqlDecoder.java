package io.conlimit.fleet;

import io.netty.buffer.ByteBuf;

/**
 * The mysql probe (MySQL, MariaDB: the server speaks first): reads the first packet (3-byte little-endian
 * payload length, 1 sequence byte, payload). A protocol-10 handshake (payload[0] 0x0a) is served, detail
 * {@code mysql <server version>}; an error packet (0xff, 2-byte little-endian code, optional {@code #} and
 * 5-character SQLSTATE, message) is refused, e.g. {@code mysql error 1040: Too many connections}.
 */
final class MysqlDecoder implements ReplyDecoder {
    private static final int HEADER = 4;
    private final AnswerBuffer packet = new AnswerBuffer(HEADER + ANSWER_CAP);

    @Override
    public Classifier.Verdict feed(ByteBuf buf) {
        int n = buf.readableBytes();
        if (packet.length() >= HEADER) {
            n = Math.min(n, HEADER + packet.le(0, 3) - packet.length());
        }
        packet.append(buf, buf.readerIndex(), Math.min(n, HEADER + ANSWER_CAP - packet.length()));
        if (packet.length() < HEADER) {
            return null;
        }
        int length = packet.le(0, 3);
        if (length == 0 || length > ANSWER_CAP) {
            return ReplyDecoder.malformed("not a MySQL packet: payload length " + length);
        }
        if (packet.length() < HEADER + length) {
            return null;
        }
        return decide(length);
    }

    private Classifier.Verdict decide(int length) {
        int end = HEADER + length;
        int kind = packet.get(HEADER);
        if (kind == 0x0a) {
            int nul = packet.indexOf(0, HEADER + 1, end);
            return ReplyDecoder.served("mysql " + ReplyDecoder.clip(packet.text(HEADER + 1, nul < 0 ? end : nul)));
        }
        if (kind == 0xff) {
            if (length < 3) {
                return ReplyDecoder.malformed("MySQL error packet too short");
            }
            int code = packet.le(HEADER + 1, 2);
            int message = HEADER + 3;
            if (end - message >= 6 && packet.get(message) == '#') {
                message += 6; // '#' and the SQLSTATE
            }
            return ReplyDecoder.refused("mysql error " + code + ": " + ReplyDecoder.clip(packet.text(message, end)));
        }
        return ReplyDecoder.malformed(String.format(java.util.Locale.ROOT, "not a MySQL handshake: first payload byte 0x%02x", kind));
    }
}
