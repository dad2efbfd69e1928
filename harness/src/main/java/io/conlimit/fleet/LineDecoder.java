package io.conlimit.fleet;

import io.netty.buffer.ByteBuf;

/**
 * Reads the answer's first line (up to LF, CR stripped, at most {@link ReplyDecoder#ANSWER_CAP} bytes) and
 * lets its {@link Rule} decide: the HTTP status line, a memcached or Redis reply, an SMTP or FTP greeting.
 */
final class LineDecoder implements ReplyDecoder {
    /** Decides a protocol's first line (stateless, shared by every connection). */
    interface Rule {
        Classifier.Verdict decide(String line);
    }

    private final Rule rule;
    private final String protocol;
    private final AnswerBuffer line = new AnswerBuffer(ANSWER_CAP);

    /** @param protocol for the error detail when no line ends within the cap, e.g. "HTTP status line" */
    LineDecoder(Rule rule, String protocol) {
        this.rule = rule;
        this.protocol = protocol;
    }

    @Override
    public Classifier.Verdict feed(ByteBuf buf) {
        int lf = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) '\n');
        int n = (lf < 0 ? buf.writerIndex() : lf) - buf.readerIndex();
        if (!line.append(buf, buf.readerIndex(), n)) {
            return ReplyDecoder.malformed("no " + protocol + " within " + ANSWER_CAP + " bytes");
        }
        if (lf < 0) {
            return null;
        }
        int end = line.length();
        if (end > 0 && line.get(end - 1) == '\r') {
            end--;
        }
        return rule.decide(line.text(0, end));
    }
}
