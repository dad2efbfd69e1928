package io.conlimit.fleet;

import io.netty.buffer.ByteBuf;

/**
 * Reads one probe's answer as it arrives, for one connection (created when its first bytes arrive, for probes
 * that read): says whether the application served the connection ({@code ok}), refused it
 * ({@code app-refused}, e.g. HTTP 503, MySQL error 1040) or answered something that is not the protocol
 * ({@code error}). Never consumes the buffer; keeps at most {@link #ANSWER_CAP} bytes.
 */
interface ReplyDecoder {
    /** The longest answer (line, packet, message) a decoder keeps: beyond it, the answer is an error. */
    int ANSWER_CAP = io.conlimit.plan.Probe.ANSWER_CAP;

    /** Feeds what arrived; the verdict once the answer is complete (or malformed), null while it is not. */
    Classifier.Verdict feed(ByteBuf buf);

    static Classifier.Verdict served(String detail) {
        return new Classifier.Verdict(Outcome.OK, detail);
    }

    static Classifier.Verdict refused(String detail) {
        return new Classifier.Verdict(Outcome.APP_REFUSED, detail);
    }

    static Classifier.Verdict malformed(String detail) {
        return new Classifier.Verdict(Outcome.ERROR, detail);
    }

    /** Text from the wire for a record's detail: control characters as spaces, at most 120 characters. */
    static String clip(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 124));
        for (int i = 0; i < s.length() && sb.length() < 120; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        String out = sb.toString().strip();
        return s.length() > 120 ? out + "..." : out;
    }
}
