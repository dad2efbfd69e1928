package io.conlimit.cli;

import io.conlimit.plan.Probe;
import io.conlimit.plan.TargetSpec;
import io.conlimit.target.Durations;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/** Parsers for the values of {@code conlimit run} flags; every error names the flag. */
public final class FlagParsers {
    private FlagParsers() {
    }

    /** {@code 500/s}, {@code 500}, {@code 30000/m}: connections per second. */
    public static double rate(String flag, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double per = 1;
        if (t.endsWith("/s")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("/m")) {
            t = t.substring(0, t.length() - 2);
            per = 60;
        }
        try {
            double v = Double.parseDouble(t) / per;
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + ": '" + text + "' is not a rate: use e.g. 500/s");
        }
    }

    /** {@code 100/s..5000/s}: {from, to}; from may be 0. */
    public static double[] ramp(String text) {
        int dots = text.indexOf("..");
        if (dots < 0) {
            throw new IllegalArgumentException("--ramp: '" + text + "' is not a ramp: use FROM..TO, e.g. 100/s..5000/s");
        }
        String from = text.substring(0, dots).trim();
        double a = from.equals("0") || from.equals("0/s") ? 0 : rate("--ramp", from);
        double b = rate("--ramp", text.substring(dots + 2));
        return new double[] {a, b};
    }

    public static Duration duration(String flag, String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage());
        }
    }

    /** {@code HOST:PORT} or {@code [v6]:PORT}. */
    public static TargetSpec.External target(String text) {
        String t = text.trim();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("--target: '" + text + "' is not HOST:PORT");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("--target: write an IPv6 address in brackets, e.g. [::1]:8080");
        }
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--target: '" + t.substring(colon + 1) + "' is not a port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--target: port must be 1..65535, got " + port);
        }
        return new TargetSpec.External(host, port, null, null);
    }

    /** The --probe names, for the error message's suggestion. */
    static final java.util.List<String> PROBE_NAMES = java.util.List.of("connect", "banner", "request", "http", "mysql",
            "postgres", "memcached", "redis", "smtp", "ftp");
    static final String PROBE_FORMS = "connect, banner, request:TEXT[:DELIM|:N], http[:/path], mysql, "
            + "postgres[:USER[/DB]], memcached, redis, smtp or ftp";

    /**
     * {@code connect | banner | request:TEXT[:DELIM|:N] | http[:/path] | mysql | postgres[:USER[/DB]] | memcached |
     * redis | smtp | ftp}. TEXT and DELIM take escapes {@code \r \n \t \\ \: \xHH}; a numeric last part waits
     * for that many bytes; without it, the first byte answers.
     */
    public static Probe probe(String text, String host) {
        return probe(text, host, null, null);
    }

    /**
     * As {@link #probe(String, String)}, with the request probe's answer patterns ({@code --served},
     * {@code --refused}: regexes, null when not given), which only the request probe takes.
     */
    public static Probe probe(String text, String host, String served, String refused) {
        String t = text.trim();
        Probe p = named(t, host);
        if (p == null && t.startsWith("request:")) {
            return request(t.substring(8), pattern("--served", served), pattern("--refused", refused));
        }
        if (p == null) {
            String word = t.contains(":") ? t.substring(0, t.indexOf(':')) : t;
            String near = io.conlimit.util.Suggest.nearest(word, PROBE_NAMES).map(n -> " (did you mean '" + n + "'?)").orElse("");
            throw new IllegalArgumentException("--probe: '" + text + "' is not a probe" + near + ": use " + PROBE_FORMS);
        }
        if (served != null || refused != null) {
            throw new IllegalArgumentException("--served and --refused apply to --probe request:... only (the "
                    + p.key() + " probe reads its protocol's own refusals)");
        }
        return p;
    }

    private static Probe named(String t, String host) {
        switch (t) {
            case "connect": return new Probe.Connect();
            case "banner": return new Probe.Banner();
            case "http": return new Probe.Http("/", host);
            case "mysql": return new Probe.Mysql();
            case "memcached": return new Probe.Memcached();
            case "redis": return new Probe.Redis();
            case "smtp": return new Probe.Smtp();
            case "ftp": return new Probe.Ftp();
            case "postgres": return new Probe.Postgres(Probe.Postgres.DEFAULT_USER, Probe.Postgres.DEFAULT_USER);
            default: break;
        }
        if (t.startsWith("http:")) {
            String path = t.substring(5);
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("--probe: the http path must start with '/', got '" + path + "'");
            }
            return new Probe.Http(path, host);
        }
        if (t.startsWith("postgres:")) {
            String rest = t.substring(9);
            int slash = rest.indexOf('/');
            String user = slash < 0 ? rest : rest.substring(0, slash);
            String db = slash < 0 ? user : rest.substring(slash + 1);
            if (user.isEmpty() || db.isEmpty()) {
                throw new IllegalArgumentException("--probe: postgres:USER[/DB] needs a user (and a database after '/'), got '" + t + "'");
            }
            return new Probe.Postgres(user, db);
        }
        return null;
    }

    /** The largest byte count request:TEXT:N accepts. */
    static final long MAX_EXPECT_BYTES = 1L << 30;

    private static Probe request(String rest, String served, String refused) {
        int split = lastUnescapedColon(rest);
        String payload = split < 0 ? rest : rest.substring(0, split);
        String tail = split < 0 ? null : rest.substring(split + 1);
        byte[] bytes = unescape(payload);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("--probe: request needs some TEXT to send, e.g. request:version\\r\\n:\\r\\n");
        }
        if (tail == null) {
            return new Probe.Request(bytes, 1, new byte[0], served, refused);
        }
        if (tail.matches("-\\d+")) {
            throw new IllegalArgumentException("--probe: request:...:" + tail + ": a byte count must be 1 or more (for the "
                    + "text '" + tail + "' as the delimiter write \\x2d" + tail.substring(1) + ")");
        }
        if (tail.matches("\\d+")) {
            long n = tail.length() > 9 ? Long.MAX_VALUE : Long.parseLong(tail);
            if (n < 1) {
                throw new IllegalArgumentException("--probe: request expects at least 1 byte");
            }
            if (n > MAX_EXPECT_BYTES) {
                throw new IllegalArgumentException("--probe: request:...:" + tail + ": a byte count must be at most "
                        + MAX_EXPECT_BYTES + " (1 GiB)");
            }
            if (n > Probe.ANSWER_CAP && (served != null || refused != null)) {
                throw new IllegalArgumentException("--probe: --served/--refused read at most " + Probe.ANSWER_CAP + " bytes, got " + n);
            }
            return new Probe.Request(bytes, (int) n, new byte[0], served, refused);
        }
        byte[] delim = unescape(tail);
        if (delim.length == 0) {
            throw new IllegalArgumentException("--probe: empty delimiter after the last ':'");
        }
        return new Probe.Request(bytes, 0, delim, served, refused);
    }

    /** Checks a regex's syntax; returns it. */
    private static String pattern(String flag, String regex) {
        if (regex == null) {
            return null;
        }
        if (regex.isEmpty()) {
            throw new IllegalArgumentException(flag + ": empty pattern");
        }
        try {
            java.util.regex.Pattern.compile(regex);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException(flag + ": '" + regex + "' is not a regex: " + e.getDescription());
        }
        return regex;
    }

    private static int lastUnescapedColon(String s) {
        for (int i = s.length() - 1; i >= 0; i--) {
            if (s.charAt(i) == ':' && (i == 0 || s.charAt(i - 1) != '\\')) {
                return i;
            }
        }
        return -1;
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '\\' -> out.write('\\');
                    case ':' -> out.write(':');
                    case 'x' -> {
                        if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
                            throw new IllegalArgumentException("--probe: \\x needs two hex digits, e.g. \\x00 or \\xff");
                        }
                        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("--probe: unknown escape \\" + n + " (use \\r \\n \\t \\\\ \\: \\xHH)");
                }
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    /** {@code 0 | D | until-end}: null means until the run ends. */
    public static Duration hold(String text) {
        String t = text.trim();
        if (t.equals("until-end")) {
            return null;
        }
        Duration d = duration("--hold", t);
        if (d.isNegative()) {
            throw new IllegalArgumentException("--hold must not be negative");
        }
        return d;
    }
}
