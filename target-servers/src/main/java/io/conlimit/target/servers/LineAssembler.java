package io.conlimit.target.servers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Splits a byte stream into {@code \n}-terminated lines (terminator kept); over-long lines are dropped. */
final class LineAssembler {
    interface LineSink {
        void line(byte[] line) throws IOException;
    }

    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private boolean discarding;

    void feed(byte[] buf, int n, LineSink sink) throws IOException {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                if (!discarding && partial.size() + (i + 1 - start) <= Replies.MAX_LINE) {
                    partial.write(buf, start, i + 1 - start);
                    sink.line(partial.toByteArray());
                }
                partial.reset();
                discarding = false;
                start = i + 1;
            }
        }
        if (start < n && !discarding) {
            partial.write(buf, start, n - start);
            if (partial.size() > Replies.MAX_LINE) {
                partial.reset();
                discarding = true;
            }
        }
    }
}
