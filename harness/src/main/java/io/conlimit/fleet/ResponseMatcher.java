package io.conlimit.fleet;

import io.netty.buffer.ByteBuf;

/**
 * Reads a probe's answer as it arrives, per connection, through the probe's {@link ReplyDecoder}: says when the
 * answer is complete and whether it serves, refuses or is not the protocol; the connection then decides its
 * outcome.
 */
final class ResponseMatcher {
    private final ReplyDecoder decoder;

    ResponseMatcher(ProbeSpec probe) {
        this.decoder = probe.newDecoder();
    }

    /** Feeds what arrived; the verdict once the answer is complete (or malformed), null while it is not. */
    Classifier.Verdict feed(ByteBuf buf) {
        return decoder.feed(buf);
    }
}
