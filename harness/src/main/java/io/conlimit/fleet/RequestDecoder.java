package io.conlimit.fleet;

import io.netty.buffer.ByteBuf;

/**
 * The request probe's answer: complete after {@code expectBytes} bytes or at the delimiter (or at the first
 * byte when neither is given). Without patterns every complete answer is served. With patterns the answer is
 * kept (at most {@link ReplyDecoder#ANSWER_CAP} bytes, else error) and read as ISO-8859-1 once complete: the
 * refused pattern found makes it app-refused; else a served pattern not found makes it an error.
 */
final class RequestDecoder implements ReplyDecoder {
    private final ProbeSpec probe;
    private final AnswerBuffer answer;
    private long received;
    private int matched;

    RequestDecoder(ProbeSpec probe) {
        this.probe = probe;
        this.answer = probe.served != null || probe.refused != null ? new AnswerBuffer(ANSWER_CAP) : null;
    }

    @Override
    public Classifier.Verdict feed(ByteBuf buf) {
        int end = end(buf);
        int n = (end < 0 ? buf.writerIndex() : end) - buf.readerIndex();
        received += n;
        if (answer != null && !answer.append(buf, buf.readerIndex(), n)) {
            return ReplyDecoder.malformed("answer longer than " + ANSWER_CAP + " bytes and not complete");
        }
        return end < 0 ? null : decide();
    }

    /** The index just past the answer's end in this buffer, or -1 while it is not complete. */
    private int end(ByteBuf buf) {
        if (probe.expectBytes > 0) {
            long missing = probe.expectBytes - received;
            return missing <= buf.readableBytes() ? buf.readerIndex() + (int) missing : -1;
        }
        if (probe.delimiter.length == 0) {
            return buf.writerIndex();
        }
        for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
            matched = probe.step(matched, buf.getByte(i));
            if (matched == probe.delimiter.length) {
                return i + 1;
            }
        }
        return -1;
    }

    private Classifier.Verdict decide() {
        if (answer == null) {
            return ReplyDecoder.served("");
        }
        String text = answer.text();
        if (probe.refused != null && probe.refused.matcher(text).find()) {
            return ReplyDecoder.refused("refused pattern: " + ReplyDecoder.clip(text));
        }
        if (probe.served != null && !probe.served.matcher(text).find()) {
            return ReplyDecoder.malformed("answer matched neither served nor refused pattern: " + ReplyDecoder.clip(text));
        }
        return ReplyDecoder.served("");
    }
}
