package io.conlimit.plan;

import java.util.Locale;

/**
 * What a connection does once connected, and so what "served" means for it. Every probe that reads decides
 * {@code ok} (served), {@code app-refused} (the application's refusal reply) or {@code error} (not that
 * protocol) from the answer's bytes; docs/run.md lists the wire fact each one reads.
 */
public sealed interface Probe {
    /** The longest answer (line, packet, message) a probe reads: beyond it, the answer is an error. */
    int ANSWER_CAP = 8192;

    /** The probe's stable key in results ({@code run.json} inputs.probe): the record's name in lower case. */
    default String key() {
        return getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** The probe as the --probe flag writes it (escapes for bytes), for run.json inputs.probe_spec: its key unless it has parameters. */
    default String describe() {
        return key();
    }

    /** Handshake only: {@code connected} as soon as connect() completes (not verified that the application has it). */
    record Connect() implements Probe {
    }

    /** Wait for server-first bytes (SSH, a greeting): ok at the first byte. */
    record Banner() implements Probe {
    }

    /**
     * Send {@code payload}, then wait for {@code expectBytes} bytes (when above 0) or for {@code delimiter}
     * (when not empty), e.g. memcached {@code version\r\n} answered up to {@code \r\n}. Once the answer is
     * complete, {@code refused} (a regex, found anywhere in the answer read as ISO-8859-1) makes it
     * app-refused; {@code served}, when given, must then be found, else the answer is an error. Null: not given.
     */
    record Request(byte[] payload, int expectBytes, byte[] delimiter, String served, String refused) implements Probe {
        /** Without patterns: every complete answer is served. */
        public Request(byte[] payload, int expectBytes, byte[] delimiter) {
            this(payload, expectBytes, delimiter, null, null);
        }

        @Override
        public String describe() {
            String tail = expectBytes > 0 ? ":" + expectBytes : delimiter != null && delimiter.length > 0 ? ":" + escape(delimiter) : "";
            return "request:" + escape(payload) + tail + (served == null ? "" : " served=" + served)
                    + (refused == null ? "" : " refused=" + refused);
        }
    }

    /**
     * Send {@code GET path HTTP/1.1} with {@code Host: host}, read the status line: 1xx-4xx except 429 served,
     * 429 and 5xx refused.
     */
    record Http(String path, String host) implements Probe {
        @Override
        public String describe() {
            return "http:" + path;
        }
    }

    /** MySQL/MariaDB: read the server's first packet: a protocol-10 handshake is served, an error packet refused. */
    record Mysql() implements Probe {
    }

    /** PostgreSQL: send a protocol 3.0 StartupMessage for {@code user}/{@code database}, read the first message. */
    record Postgres(String user, String database) implements Probe {
        public static final String DEFAULT_USER = "conlimit";

        @Override
        public String describe() {
            return "postgres:" + user + "/" + database;
        }
    }

    /** memcached: send {@code version\r\n}, read the reply line. */
    record Memcached() implements Probe {
    }

    /** Redis: send the inline {@code PING\r\n}, read the reply line. */
    record Redis() implements Probe {
    }

    /** SMTP: read the greeting's first line (server speaks first). */
    record Smtp() implements Probe {
    }

    /** FTP: read the greeting's first line (server speaks first). */
    record Ftp() implements Probe {
    }

    /** Bytes as the --probe flag's escapes write them: printable ASCII as is, {@code \r \n \t \\ \:}, others {@code \xHH}. */
    static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                case ':' -> sb.append("\\:");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format(Locale.ROOT, "\\x%02x", c));
                    }
                }
            }
        }
        return sb.toString();
    }
}
