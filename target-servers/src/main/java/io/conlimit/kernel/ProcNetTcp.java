package io.conlimit.kernel;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The LISTEN rows at the head of /proc/net/tcp and /proc/net/tcp6, read without generating the rest of the file.
 * <p>
 * Kernel facts this relies on (net/ipv4/tcp_ipv4.c, Linux 4.4 and later; checked on 6.18 by this project's tests):
 * <ul>
 *   <li>{@code tcp_seq_start}/{@code tcp_seq_next} walk the listening hash (lhash2) before the established hash,
 *       and only LISTEN sockets are in the listening hash, so every LISTEN row (state {@code 0A}) comes before the
 *       first other row. Reading stops there: seq_file formats only what is read, so the cost does not grow with the
 *       number of established or TIME_WAIT sockets. One catch: after the last LISTEN row the kernel looks for the
 *       next socket of the file's family and namespace in the established hash, a scan of up to its whole bucket
 *       array (262,144 buckets, 2 MB, on the 23 GB test machine: about 0.5 ms of CPU when that namespace has no
 *       such socket; the scan stops at the first one it finds, so a busy namespace costs less).
 *       {@link #readListener} avoids it when the socket followed is not the last listener.</li>
 *   <li>For a LISTEN socket, {@code get_tcp4_sock}/{@code get_tcp6_sock} print {@code sk_ack_backlog} as the
 *       {@code rx_queue} column: the accept-queue length, the number {@code ss -lnt} shows as Recv-Q. The queue's
 *       maximum (Send-Q, {@code sk_max_ack_backlog}) is not in these files: only inet_diag ({@code ss}) has it.</li>
 *   <li>Addresses are hex of 32-bit words printed in host byte order ({@code %08X} of a {@code __be32}); the port
 *       is printed after {@code ntohs}, so it reads directly. The {@code inode} column is the socket's inode, the
 *       number {@code ss -e} prints as {@code ino:}.</li>
 * </ul>
 */
public final class ProcNetTcp {
    /** The state column of a LISTEN socket (TCP_LISTEN = 10). */
    static final String LISTEN = "0A";
    private static final int CHUNK = 4096;
    /**
     * Read size when following one socket in /proc/net/tcp: its rows are padded to exactly 150 bytes (TMPSZ, with
     * seq_setwidth and seq_pad), so each read makes the kernel format one row and look up the next, never show it.
     */
    static final int TCP4_ROW = 150;
    /**
     * The same for tcp6, whose rows are not padded (about 170-180 bytes): a read may make the kernel format one row
     * beyond the one wanted.
     */
    static final int TCP6_ROW = 160;

    private ProcNetTcp() {
    }

    /**
     * One LISTEN row.
     *
     * @param local  the local address as {@code ss -n} prints it: {@code 127.0.0.1:8080}, {@code [::1]:8080},
     *               {@code [::ffff:127.0.0.1]:8080}; the IPv6 wildcard prints as {@code [::]:8080} (ss prints
     *               {@code *:8080} for a dual-stack one: /proc cannot tell)
     * @param port   local port
     * @param queued the accept-queue length (rx_queue = sk_ack_backlog = ss Recv-Q)
     * @param inode  the socket's inode (ss -e {@code ino:})
     */
    public record Listener(String local, int port, int queued, long inode) {
    }

    /**
     * One row of the socket table (any state): its state as ss names it ({@code ESTAB}, {@code SYN-RECV},
     * {@code CLOSE-WAIT}...), its local and remote address and port ({@code ss -n} form, IPv6 without brackets) and
     * its receive queue (for a listener: the accept-queue length, ss's Recv-Q).
     */
    public record Socket(String state, String local, int localPort, String remote, int remotePort, long rxQueue) {
    }

    /** ss's state names, by the kernel's TCP state number (include/net/tcp_states.h). */
    private static final String[] STATES = {"?", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
            "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING", "SYN-RECV"};

    /**
     * Appends every row of {@code file} (an open /proc/.../net/tcp or tcp6, read whole from its start) whose local
     * or remote port is {@code port} (every row when {@code port} is {@link #ANY_PORT}). One read of the whole table:
     * meant for a census, not for sampling.
     */
    static void readSockets(RandomAccessFile file, int port, List<Socket> out) throws IOException {
        String text;
        synchronized (file) {
            file.seek(0);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream(1 << 16);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = file.read(buf)) > 0; ) {
                all.write(buf, 0, n);
            }
            text = all.toString(StandardCharsets.US_ASCII);
        }
        parseSockets(text, port, out);
    }

    /** {@code port} for every row. */
    static final int ANY_PORT = -1;

    /** The rows of a whole /proc/net/tcp or tcp6 text (header first) with {@code port} at either end ({@link #ANY_PORT}: all). */
    static void parseSockets(String text, int port, List<Socket> out) {
        int start = text.indexOf('\n') + 1; // skip the header
        while (start > 0 && start < text.length()) {
            int nl = text.indexOf('\n', start);
            String line = nl < 0 ? text.substring(start) : text.substring(start, nl);
            start = nl < 0 ? -1 : nl + 1;
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                continue;
            }
            int lc = f[1].indexOf(':');
            int rc = f[2].indexOf(':');
            if (lc < 0 || rc < 0) {
                throw new IllegalArgumentException("not a /proc/net/tcp row: '" + line.trim() + "'");
            }
            int lport = Integer.parseInt(f[1].substring(lc + 1), 16);
            int rport = Integer.parseInt(f[2].substring(rc + 1), 16);
            if (port != ANY_PORT && lport != port && rport != port) {
                continue;
            }
            int st = Integer.parseInt(f[3], 16);
            int qc = f[4].indexOf(':');
            long rx = qc < 0 ? -1 : Long.parseLong(f[4].substring(qc + 1), 16);
            out.add(new Socket(st >= 0 && st < STATES.length ? STATES[st] : "state-" + st,
                    address(f[1].substring(0, lc)), lport, address(f[2].substring(0, rc)), rport, rx));
        }
    }

    /**
     * Reads {@code file} (an open /proc/.../net/tcp or tcp6) from its start until the first row that is not LISTEN,
     * or its end, and appends the LISTEN rows to {@code out}. Seeks to 0 first, so the same file can be read again
     * and again (seq_file restarts its walk at offset 0); holds the file's lock while reading it.
     */
    static void readListeners(RandomAccessFile file, List<Listener> out) throws IOException {
        synchronized (file) {
            file.seek(0);
            readFromStart(file, out, -1, CHUNK);
        }
    }

    /**
     * The LISTEN row of socket {@code inode} in {@code file}, read {@code rowSize} bytes at a time and no further than
     * that row (empty when the LISTEN rows end without it). Cheaper than {@link #readListeners} when the socket is not
     * the last listener: the kernel then never starts walking the established hash.
     */
    static Optional<Listener> readListener(RandomAccessFile file, long inode, int rowSize) throws IOException {
        List<Listener> out = new ArrayList<>();
        synchronized (file) {
            file.seek(0);
            readFromStart(file, out, inode, rowSize);
        }
        Listener last = out.isEmpty() ? null : out.get(out.size() - 1);
        return last != null && last.inode() == inode ? Optional.of(last) : Optional.empty();
    }

    private static void readFromStart(RandomAccessFile file, List<Listener> out, long stopAtInode, int chunk)
            throws IOException {
        byte[] buf = new byte[chunk];
        StringBuilder pending = new StringBuilder();
        boolean header = true;
        while (true) {
            int n = file.read(buf);
            if (n <= 0) {
                if (pending.length() > 0 && !header) {
                    parseRow(pending.toString(), out);
                }
                return;
            }
            pending.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            int start = 0;
            for (int nl; (nl = pending.indexOf("\n", start)) >= 0; start = nl + 1) {
                String line = pending.substring(start, nl);
                if (header) {
                    header = false;
                    continue;
                }
                if (!parseRow(line, out)) {
                    return; // first row that is not LISTEN: the listening hash is done
                }
                if (stopAtInode >= 0 && out.get(out.size() - 1).inode() == stopAtInode) {
                    return;
                }
            }
            pending.delete(0, start);
        }
    }

    /**
     * Parses the text of a whole /proc/net/tcp or tcp6 file (header line first), for tests on captured text: the
     * LISTEN rows up to the first other row.
     */
    static List<Listener> parse(String text) {
        List<Listener> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (!parseRow(lines[i], out)) {
                break;
            }
        }
        return out;
    }

    /**
     * Adds the row to {@code out} when it is a LISTEN row; returns false for a row of another state (the end of the
     * listening section). Blank lines are skipped.
     *
     * @throws IllegalArgumentException for a LISTEN row that does not parse (a format this code does not know)
     */
    static boolean parseRow(String line, List<Listener> out) {
        String[] f = line.trim().split("\\s+");
        if (f.length == 1 && f[0].isEmpty()) {
            return true;
        }
        if (f.length < 4) {
            throw new IllegalArgumentException("not a /proc/net/tcp row: '" + line.trim() + "'");
        }
        if (!f[3].equals(LISTEN)) {
            return false;
        }
        if (f.length < 10) {
            throw new IllegalArgumentException("LISTEN row with " + f.length + " columns (expected >= 10): '" + line.trim() + "'");
        }
        int colon = f[1].indexOf(':');
        int queueColon = f[4].indexOf(':');
        if (colon < 0 || queueColon < 0) {
            throw new IllegalArgumentException("not a /proc/net/tcp row: '" + line.trim() + "'");
        }
        int port = Integer.parseInt(f[1].substring(colon + 1), 16);
        String address = address(f[1].substring(0, colon));
        int queued = (int) Long.parseLong(f[4].substring(queueColon + 1), 16);
        long inode = Long.parseLong(f[9]);
        String local = address.contains(":") ? "[" + address + "]:" + port : address + ":" + port;
        out.add(new Listener(local, port, queued, inode));
        return true;
    }

    /** The address of a /proc/net/tcp column (8 hex digits: IPv4, 32: IPv6) in the form ss -n prints it. */
    static String address(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            throw new IllegalArgumentException("address must be 8 or 32 hex digits, got '" + hex + "'");
        }
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
        for (int i = 0; i < hex.length(); i += 8) {
            // each 32-bit word holds network-order bytes and was printed as a number in host order
            bytes.putInt((int) Long.parseLong(hex.substring(i, i + 8), 16));
        }
        byte[] a = bytes.array();
        return a.length == 4 ? ipv4(a, 0) : ipv6(a);
    }

    private static String ipv4(byte[] a, int off) {
        return (a[off] & 0xff) + "." + (a[off + 1] & 0xff) + "." + (a[off + 2] & 0xff) + "." + (a[off + 3] & 0xff);
    }

    /**
     * IPv6 text as glibc's inet_ntop writes it (what ss prints): lowercase hex, the longest run of two or more
     * zero groups (the first of equal runs) as {@code ::}, and a trailing dotted IPv4 for {@code ::ffff:a.b.c.d}
     * and {@code ::a.b.c.d}.
     */
    static String ipv6(byte[] a) {
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestBase = i;
                bestLen = j - i;
            }
            i = j;
        }
        if (bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    sb.append(':');
                }
                continue;
            }
            if (i != 0) {
                sb.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                sb.append(ipv4(a, 12));
                break;
            }
            sb.append(Integer.toHexString(w[i]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) {
            sb.append(':');
        }
        return sb.toString();
    }
}
