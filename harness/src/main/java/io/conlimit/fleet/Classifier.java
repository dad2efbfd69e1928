package io.conlimit.fleet;

import io.netty.channel.unix.Errors;

import java.lang.reflect.Method;
import java.util.Locale;

/**
 * Turns a connect/read/write failure into an {@link Outcome}: by errno where Netty's native transport
 * gives one, else by the strerror text Java and Netty put in the message.
 */
final class Classifier {
    // Linux errno values (asm-generic/errno-base.h, errno.h).
    static final int EAGAIN = 11;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;
    static final int ENOBUFS = 105;
    static final int ECONNRESET = 104;
    static final int ECONNREFUSED = 111;
    static final int EPIPE = 32;
    static final int ETIMEDOUT = 110;

    /** The decision: outcome and the detail for the record. */
    record Verdict(Outcome outcome, String detail) {
    }

    /** Errors.NativeConnectException#expectedErr (the class is package-private), looked up once; null if absent. */
    private static final Method NATIVE_CONNECT_EXPECTED_ERR = nativeConnectExpectedErr();

    private Classifier() {
    }

    private static Method nativeConnectExpectedErr() {
        try {
            Method m = Class.forName("io.netty.channel.unix.Errors$NativeConnectException").getDeclaredMethod("expectedErr");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** A failure of connect() (or of creating/binding the socket before it). */
    static Verdict onConnect(Throwable t) {
        int errno = errno(t);
        String text = text(t);
        if (errno == ECONNREFUSED || (errno < 0 && has(text, "connection refused"))) {
            return new Verdict(Outcome.REFUSED, "");
        }
        Verdict limited = clientLimited(errno, text, true);
        if (limited != null) {
            return limited;
        }
        if (errno == ECONNRESET || (errno < 0 && has(text, "connection reset"))) {
            return new Verdict(Outcome.RESET, detail(errno, text));
        }
        // the kernel gave up after tcp_syn_retries (ETIMEDOUT), or a connect timer other than ours fired:
        // no SYN-ACK in time either way
        if (errno == ETIMEDOUT || t instanceof io.netty.channel.ConnectTimeoutException
                || (errno < 0 && has(text, "connection timed out"))) {
            return new Verdict(Outcome.CONNECT_TIMEOUT, detail(errno, text));
        }
        return new Verdict(Outcome.ERROR, detail(errno, text));
    }

    /** A failure after the handshake (read or write). */
    static Verdict afterConnect(Throwable t) {
        int errno = errno(t);
        String text = text(t);
        if (isReset(errno, text)) {
            return new Verdict(Outcome.RESET, "");
        }
        Verdict limited = clientLimited(errno, text, false);
        if (limited != null) {
            return limited;
        }
        return new Verdict(Outcome.ERROR, detail(errno, text));
    }

    static boolean isReset(Throwable t) {
        return isReset(errno(t), text(t));
    }

    private static boolean isReset(int errno, String text) {
        return errno == ECONNRESET || (errno < 0 && has(text, "connection reset"));
    }

    private static Verdict clientLimited(int errno, String text, boolean connecting) {
        boolean byErrno = errno == EMFILE || errno == ENFILE || errno == EADDRNOTAVAIL || errno == ENOBUFS
                || (connecting && (errno == EAGAIN || errno == EADDRINUSE));
        boolean byText = errno < 0 && (has(text, "too many open files") || has(text, "cannot assign requested address")
                || has(text, "no buffer space") || (connecting && has(text, "resource temporarily unavailable"))
                || (connecting && has(text, "address already in use")));
        return byErrno || byText ? new Verdict(Outcome.CLIENT_LIMITED, detail(errno, text)) : null;
    }

    /** The positive errno carried by the throwable or its causes, -1 when none carries one. */
    static int errno(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof Errors.NativeIoException n) {
                return Math.abs(n.expectedErr());
            }
            // Errors.NativeConnectException is package-private; it has the same expectedErr().
            if (NATIVE_CONNECT_EXPECTED_ERR != null && NATIVE_CONNECT_EXPECTED_ERR.getDeclaringClass() == c.getClass()) {
                try {
                    return Math.abs((Integer) NATIVE_CONNECT_EXPECTED_ERR.invoke(c));
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // fall through to the message text
                }
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return -1;
    }

    private static String text(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 1000; c = c.getCause()) {
            sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(" | ");
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    private static boolean has(String text, String needle) {
        return text.toLowerCase(Locale.ROOT).contains(needle);
    }

    private static String detail(int errno, String text) {
        String first = text.contains(" | ") ? text.substring(0, text.indexOf(" | ")) : text;
        return (errno >= 0 ? "errno=" + errno + " " : "") + first.replace('\n', ' ').replace(',', ';');
    }
}
