package io.conlimit.target.servers;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** Prints socket addresses the way conlimit's output and ss do: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
public final class Addresses {
    private Addresses() {
    }

    public static String format(InetSocketAddress a) {
        return host(a) + ":" + a.getPort();
    }

    /** The bare host: {@code 127.0.0.1} or {@code [::1]} (IPv6 bracketed, scope dropped). */
    public static String host(InetSocketAddress a) {
        if (a.getAddress() instanceof Inet6Address) {
            String h = a.getAddress().getHostAddress();
            int scope = h.indexOf('%');
            return "[" + compress(scope < 0 ? h : h.substring(0, scope)) + "]";
        }
        return a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    }

    /** The unbracketed literal ss uses for this address (IPv6 compressed, e.g. {@code ::1}). */
    public static String literal(InetSocketAddress a) {
        String h = host(a);
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    /** RFC 5952 style: drop leading zeros, replace the longest run of zero groups (2 or more) by "::". */
    static String compress(String full) {
        String[] groups = full.split(":");
        if (groups.length != 8) {
            return full;
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (Integer.parseInt(groups[i], 16) == 0) {
                int j = i;
                while (j < 8 && Integer.parseInt(groups[j], 16) == 0) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestLen >= 2 && i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(Integer.parseInt(groups[i], 16)));
        }
        return sb.toString();
    }
}
