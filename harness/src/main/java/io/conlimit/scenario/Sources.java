package io.conlimit.scenario;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses client source addresses: one literal address, or an IPv4 range {@code 127.0.0.1-127.0.0.8}. No DNS. */
public final class Sources {
    /** A range longer than this is surely a typo (and would need as many addresses configured). */
    public static final int MAX_RANGE = 1024;
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private Sources() {
    }

    /** @throws IllegalArgumentException saying what is wrong */
    public static List<InetAddress> parse(String text) {
        String t = text.trim();
        int dash = t.indexOf('-');
        if (dash < 0) {
            return List.of(literal(t));
        }
        long from = ipv4(t.substring(0, dash).trim());
        long to = ipv4(t.substring(dash + 1).trim());
        if (to < from) {
            throw new IllegalArgumentException("range '" + t + "' ends before it starts");
        }
        if (to - from + 1 > MAX_RANGE) {
            throw new IllegalArgumentException("range '" + t + "' has " + (to - from + 1) + " addresses, more than " + MAX_RANGE);
        }
        List<InetAddress> out = new ArrayList<>();
        for (long a = from; a <= to; a++) {
            out.add(fromLong(a));
        }
        return out;
    }

    private static InetAddress literal(String t) {
        if (IPV4.matcher(t).matches()) {
            return fromLong(ipv4(t));
        }
        if (t.contains(":")) {
            try {
                return InetAddress.getByName(t.startsWith("[") ? t.substring(1, t.length() - 1) : t); // literal: no lookup
            } catch (UnknownHostException | StringIndexOutOfBoundsException e) {
                throw new IllegalArgumentException("'" + t + "' is not an IPv6 address");
            }
        }
        throw new IllegalArgumentException("'" + t + "' is not an IP address");
    }

    private static long ipv4(String t) {
        Matcher m = IPV4.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + t + "' is not an IPv4 address");
        }
        long v = 0;
        for (int i = 1; i <= 4; i++) {
            int octet = Integer.parseInt(m.group(i));
            if (octet > 255) {
                throw new IllegalArgumentException("'" + t + "' is not an IPv4 address");
            }
            v = (v << 8) | octet;
        }
        return v;
    }

    private static InetAddress fromLong(long v) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
