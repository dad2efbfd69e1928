package io.conlimit.target.servers;

import io.conlimit.target.ServerConfig;

import java.nio.charset.StandardCharsets;

/**
 * The bytes a server sends, shared by every kind. A text (banner, --respond) goes out followed by
 * {@code \r\n} unless it already ends with a newline; --echo sends each received line back as received,
 * its {@code \n} (and any {@code \r}) included. Lines longer than {@link #MAX_LINE} bytes are discarded
 * unanswered.
 */
public final class Replies {
    /** The longest line answered, in bytes, terminator included. */
    public static final int MAX_LINE = 8192;

    private final byte[] banner;
    private final byte[] respond;
    private final boolean echo;

    public Replies(ServerConfig config) {
        this.banner = config.banner() == null ? null : line(config.banner());
        this.respond = config.respond() == null ? null : line(config.respond());
        this.echo = config.echo();
    }

    /** {@code text} as sent: UTF-8, plus CRLF unless it ends with a newline. */
    public static byte[] line(String text) {
        String t = text.endsWith("\n") ? text : text + "\r\n";
        return t.getBytes(StandardCharsets.UTF_8);
    }

    /** Sent on accept, or null. */
    public byte[] banner() {
        return banner;
    }

    /** Whether received lines are answered at all (--echo or --respond). */
    public boolean answersLines() {
        return echo || respond != null;
    }

    public boolean echo() {
        return echo;
    }

    /** The --respond answer, or null. */
    public byte[] respond() {
        return respond;
    }
}
