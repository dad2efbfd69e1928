package io.conlimit.fleet;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Reads a probe's answer as it arrives, per connection: the request probe's byte count or delimiter, the
 * http probe's status line. Says when the answer is complete; the connection then decides its outcome.
 */
final class ResponseMatcher {
    static final int HTTP_LINE_MAX = 8192;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/\\d(\\.\\d)? \\d{3}( .*)?");

    private final ProbeSpec probe;
    private long received;
    private int matched;
    private byte[] line;
    private int lineLength;

    ResponseMatcher(ProbeSpec probe) {
        this.probe = probe;
    }

    /** Feeds what arrived; the verdict once the answer is complete (or malformed), null while it is not. */
    Classifier.Verdict feed(ByteBuf buf) {
        return switch (probe.kind) {
            case CONNECT, BANNER -> ok("");
            case REQUEST -> request(buf);
            case HTTP -> statusLine(buf);
        };
    }

    private Classifier.Verdict request(ByteBuf buf) {
        received += buf.readableBytes();
        if (probe.expectBytes > 0) {
            return received >= probe.expectBytes ? ok("") : null;
        }
        if (probe.delimiter.length == 0) {
            return ok("");
        }
        for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
            matched = probe.step(matched, buf.getByte(i));
            if (matched == probe.delimiter.length) {
                return ok("");
            }
        }
        return null;
    }

    private Classifier.Verdict statusLine(ByteBuf buf) {
        if (line == null) {
            line = new byte[256];
        }
        for (int i = buf.readerIndex(); i < buf.writerIndex(); i++) {
            byte b = buf.getByte(i);
            if (b == '\n') {
                String s = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1).strip();
                if (STATUS_LINE.matcher(s).matches()) {
                    return ok("http " + s.substring(s.indexOf(' ') + 1, s.indexOf(' ') + 4));
                }
                return new Classifier.Verdict(Outcome.ERROR,
                        "not an HTTP status line: " + s.substring(0, Math.min(60, s.length())).replace(',', ';'));
            }
            if (lineLength == HTTP_LINE_MAX) {
                return new Classifier.Verdict(Outcome.ERROR, "no HTTP status line within " + HTTP_LINE_MAX + " bytes");
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, Math.min(HTTP_LINE_MAX, line.length * 4));
            }
            line[lineLength++] = b;
        }
        return null;
    }

    private static Classifier.Verdict ok(String detail) {
        return new Classifier.Verdict(Outcome.OK, detail);
    }
}
