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

    /**
     * {@code connect | banner | request:TEXT[:DELIM|:N] | http[:/path]}. TEXT and DELIM take escapes
     * {@code \r \n \t \\ \:}; a numeric last part waits for that many bytes; without it, the first byte answers.
     */
    public static Probe probe(String text, String host) {
        String t = text.trim();
        if (t.equals("connect")) {
            return new Probe.Connect();
        }
        if (t.equals("banner")) {
            return new Probe.Banner();
        }
        if (t.equals("http")) {
            return new Probe.Http("/", host);
        }
        if (t.startsWith("http:")) {
            String path = t.substring(5);
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("--probe: the http path must start with '/', got '" + path + "'");
            }
            return new Probe.Http(path, host);
        }
        if (t.startsWith("request:")) {
            String rest = t.substring(8);
            int split = lastUnescapedColon(rest);
            String payload = split < 0 ? rest : rest.substring(0, split);
            String tail = split < 0 ? null : rest.substring(split + 1);
            byte[] bytes = unescape(payload);
            if (bytes.length == 0) {
                throw new IllegalArgumentException("--probe: request needs some TEXT to send, e.g. request:version\\r\\n:\\r\\n");
            }
            if (tail == null) {
                return new Probe.Request(bytes, 1, new byte[0]);
            }
            if (tail.matches("\\d+")) {
                int n = Integer.parseInt(tail);
                if (n < 1) {
                    throw new IllegalArgumentException("--probe: request expects at least 1 byte");
                }
                return new Probe.Request(bytes, n, new byte[0]);
            }
            byte[] delim = unescape(tail);
            if (delim.length == 0) {
                throw new IllegalArgumentException("--probe: empty delimiter after the last ':'");
            }
            return new Probe.Request(bytes, 0, delim);
        }
        throw new IllegalArgumentException("--probe: '" + text + "' is not a probe: use connect, banner, request:TEXT[:DELIM|:N] or http[:/path]");
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
                    default -> throw new IllegalArgumentException("--probe: unknown escape \\" + n + " (use \\r \\n \\t \\\\ \\:)");
                }
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
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
