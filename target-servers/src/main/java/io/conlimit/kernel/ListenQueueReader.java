package io.conlimit.kernel;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Takes one reading of a listener's accept queue for {@link ListenQueueSampler}: from the head of /proc/net/tcp{,6}
 * when it can (the maximum from {@code ss -e}, asked once per listener socket), else with {@code ss -Hlnt}.
 * Thread-safe (the sampling thread and a caller's {@code sampleNow} may read at once); {@link #source()} and the
 * counts do not wait for a reading in progress.
 */
final class ListenQueueReader implements AutoCloseable {
    /** Queue length and maximum (-1, -1: no listener), at {@code nanos} (raw System.nanoTime()). */
    record Reading(long nanos, int queued, int max) {
    }

    private final ListenQueues queues;
    private final String host;
    private final int port;
    private final ProcNet given;
    private final boolean ssOnly;

    private volatile ProcNet own;
    private volatile String procUnavailable;
    /** The listener followed: chosen by the matching rules, then looked up by its inode until it is gone. */
    private ProcNetTcp.Listener known;
    private int knownMax = -1;
    private final AtomicLong fromProc = new AtomicLong();
    private final AtomicLong fromSs = new AtomicLong();

    ListenQueueReader(ListenQueues queues, String host, int port, ProcNet given, boolean ssOnly) {
        this.queues = queues;
        this.host = host;
        this.port = port;
        this.given = given;
        this.ssOnly = ssOnly;
    }

    synchronized Reading read() throws IOException {
        ProcNet proc = procNet();
        Reading r = proc == null ? null : readProc(proc);
        return r != null ? r : readSs();
    }

    /** The open /proc files to read, opening them on first use; null when the queue is read with ss. */
    private ProcNet procNet() {
        if (ssOnly || procUnavailable != null) {
            return null;
        }
        if (given != null) {
            return given;
        }
        if (own == null) {
            try {
                own = queues.prefix().isEmpty() ? ProcNet.own() : ProcNet.in(queues.prefix());
            } catch (IOException | RuntimeException e) {
                procUnavailable = e.getMessage() != null ? e.getMessage() : e.toString();
                return null;
            }
        }
        return own;
    }

    /**
     * A reading from the head of /proc/net/tcp{,6}: the socket followed, looked up by inode in its own file (no
     * further than its row), or when there is none (first reading, socket gone) every listener on the port and the
     * matching rules of {@link ListenQueues#find}; the maximum of a newly chosen socket is asked from ss -e. Null
     * when ss must be asked instead: the listener changed between the two readings, or /proc failed (then ss is used
     * from now on, and {@link #source()} says why).
     */
    private Reading readProc(ProcNet proc) throws IOException {
        long before = System.nanoTime();
        Optional<ProcNetTcp.Listener> hit;
        try {
            hit = known == null ? Optional.empty() : proc.follow(known);
            if (hit.isEmpty()) {
                List<ProcNetTcp.Listener> rows = proc.listeners(port);
                hit = host == null ? first(rows) : ListenQueues.match(rows, ProcNetTcp.Listener::local, host, port);
            }
        } catch (IOException | RuntimeException e) {
            procUnavailable = "reading " + proc.describe() + " failed: " + e;
            close();
            return null;
        }
        long after = System.nanoTime();
        long nanos = before + (after - before) / 2;
        if (hit.isEmpty()) {
            known = null;
            fromProc.incrementAndGet();
            return new Reading(nanos, -1, -1);
        }
        if (known == null || hit.get().inode() != known.inode()) {
            known = null;
            ListenSocket viaSs = queues.byInode(port).get(hit.get().inode());
            if (viaSs == null) {
                return null;
            }
            knownMax = viaSs.max();
        }
        known = hit.get();
        fromProc.incrementAndGet();
        return new Reading(nanos, known.queued(), knownMax);
    }

    private Reading readSs() throws IOException {
        long before = System.nanoTime();
        Optional<ListenSocket> socket = host == null ? first(queues.onPort(port)) : queues.find(host, port);
        long after = System.nanoTime();
        fromSs.incrementAndGet();
        return new Reading(before + (after - before) / 2,
                socket.map(ListenSocket::queued).orElse(-1), socket.map(ListenSocket::max).orElse(-1));
    }

    private static <T> Optional<T> first(List<T> sockets) {
        return sockets.isEmpty() ? Optional.empty() : Optional.of(sockets.get(0));
    }

    String source() {
        if (ssOnly) {
            return "ss";
        }
        if (procUnavailable != null) {
            return "ss (/proc not used: " + procUnavailable + ")";
        }
        ProcNet p = given != null ? given : own;
        String where = p != null ? p.describe()
                : queues.prefix().isEmpty() ? "/proc/net" : "/proc/net through '" + String.join(" ", queues.prefix()) + "'";
        return where + " (Send-Q from ss -e)";
    }

    long samplesFromProc() {
        return fromProc.get();
    }

    long samplesFromSs() {
        return fromSs.get();
    }

    /** Closes the /proc files this reader opened itself (a later reading opens them again); given ones are the caller's. */
    @Override
    public synchronized void close() {
        if (own != null) {
            own.close();
            own = null;
        }
        known = null;
    }
}
