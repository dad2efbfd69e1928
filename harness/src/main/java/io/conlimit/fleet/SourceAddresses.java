package io.conlimit.fleet;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code --source}: a range {@code 127.0.0.1-127.0.0.8} (IPv4, inclusive) or a list {@code a,b,c}.
 * Connections are spread round-robin over the addresses so one address's ephemeral port range is not the limit.
 */
public final class SourceAddresses {
    /** A range wider than this is almost certainly a typo. */
    public static final int MAX_ADDRESSES = 4096;

    private SourceAddresses() {
    }

    /**
     * Each thread's last IPv4 local address and its text: a client's connections nearly all leave from the same
     * address, and its text cost three allocations per connection on the event loop (a StringBuilder, its array, the
     * String: about 150 of the 1,070 bytes a connection allocated at 20,000/s, JFR, docs/benchmarks.md).
     */
    private static final ThreadLocal<LastHost> LAST_HOST = ThreadLocal.withInitial(LastHost::new);

    private static final class LastHost {
        private InetAddress address;
        private String text;
    }

    /** {@code host:port} ({@code [v6]:port}) as connections.csv shows a local address, "" when there is none. */
    static String format(java.net.SocketAddress a) {
        if (a instanceof java.net.InetSocketAddress i && i.getAddress() != null) {
            return hostText(i.getAddress()) + ":" + i.getPort();
        }
        return "";
    }

    private static String hostText(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return "[" + address.getHostAddress() + "]"; // not kept: an IPv6 text carries a scope that equals() ignores
        }
        LastHost last = LAST_HOST.get();
        if (!address.equals(last.address)) {
            last.address = address;
            last.text = address.getHostAddress();
        }
        return last.text;
    }

    /** @throws IllegalArgumentException naming --source and the bad part */
    public static List<InetAddress> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("--source: empty; use a range 127.0.0.1-127.0.0.8 or a list a,b,c");
        }
        List<InetAddress> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            if (dash > 0 && !p.contains(":")) {
                long from = ipv4(p.substring(0, dash).trim());
                long to = ipv4(p.substring(dash + 1).trim());
                if (to < from) {
                    throw new IllegalArgumentException("--source: range " + p + " ends before it starts");
                }
                if (to - from + 1 + out.size() > MAX_ADDRESSES) {
                    throw new IllegalArgumentException("--source: more than " + MAX_ADDRESSES + " addresses in " + p);
                }
                for (long v = from; v <= to; v++) {
                    out.add(toAddress(v));
                }
            } else {
                out.add(literal(p));
            }
        }
        return List.copyOf(out);
    }

    private static long ipv4(String s) {
        InetAddress a = literal(s);
        if (!(a instanceof Inet4Address)) {
            throw new IllegalArgumentException("--source: ranges are IPv4 only, got " + s);
        }
        byte[] b = a.getAddress();
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }

    private static InetAddress toAddress(long v) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An IP literal only: a name would need a DNS lookup, which a load run must not depend on. */
    private static InetAddress literal(String s) {
        String t = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (v4) {
            for (String octet : t.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("--source: '" + s + "' is not an IP address");
                }
            }
        }
        boolean v6 = t.contains(":") && t.matches("[0-9a-fA-F:.%]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("--source: '" + s + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--source: '" + s + "' is not an IP address");
        }
    }
}
