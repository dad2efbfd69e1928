package io.conlimit.fleet;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The bytes of one answer so far, growing from 64 bytes up to a cap; copies a read in one call, never per byte. */
final class AnswerBuffer {
    private final int cap;
    private byte[] bytes = new byte[64];
    private int length;

    AnswerBuffer(int cap) {
        this.cap = cap;
    }

    /** Appends {@code n} readable bytes of {@code buf} starting at {@code from} (not consuming them); false when that would pass the cap (nothing appended). */
    boolean append(ByteBuf buf, int from, int n) {
        if (length + n > cap) {
            return false;
        }
        if (length + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.min(cap, Math.max(length + n, bytes.length * 4)));
        }
        buf.getBytes(from, bytes, length, n);
        length += n;
        return true;
    }

    /** Appends all readable bytes of {@code buf}; false when that would pass the cap. */
    boolean append(ByteBuf buf) {
        return append(buf, buf.readerIndex(), buf.readableBytes());
    }

    int length() {
        return length;
    }

    /** Empties it for the next answer (keeps its array). */
    void clear() {
        length = 0;
    }

    int get(int i) {
        return bytes[i] & 0xff;
    }

    /** Little-endian unsigned integer of {@code n} bytes at {@code at}. */
    int le(int at, int n) {
        int v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | get(at + i);
        }
        return v;
    }

    /** Big-endian 32-bit integer at {@code at}. */
    int be32(int at) {
        return get(at) << 24 | get(at + 1) << 16 | get(at + 2) << 8 | get(at + 3);
    }

    /** Index of the first {@code b} at or after {@code from} and before {@code to}, or -1. */
    int indexOf(int b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (get(i) == b) {
                return i;
            }
        }
        return -1;
    }

    /** ISO-8859-1 text of bytes [from, to): one character per byte. */
    String text(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    String text() {
        return text(0, length);
    }
}
