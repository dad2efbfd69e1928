package io.conlimit.record;

import io.conlimit.fleet.ConnectionRecord;
import io.conlimit.kernel.LowPriority;
import io.conlimit.results.ResultsLayout;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.GZIPOutputStream;

/**
 * connections.csv: event-loop threads {@link #offer} final records into a lock-free queue; one writer thread
 * appends them line by line and flushes at least once per period. At most {@code cap} records are ever
 * accepted (so the queue is bounded by the cap); the rest are only counted.
 */
final class ConnectionsWriter {
    private static final long IDLE_PARK_NANOS = 5_000_000;

    private final ConcurrentLinkedQueue<ConnectionRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong offered = new AtomicLong();
    private final long cap;
    private final long flushPeriodNanos;
    private final Path file;
    private final OutputStream out;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile IOException failure;
    private long rows;

    ConnectionsWriter(Path folder, boolean gzip, long cap, long flushPeriodNanos) throws IOException {
        this.cap = Math.max(0, cap);
        this.flushPeriodNanos = flushPeriodNanos;
        this.file = folder.resolve(gzip ? ResultsLayout.CONNECTIONS_CSV_GZ : ResultsLayout.CONNECTIONS_CSV);
        OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        if (gzip) {
            // buffered above the compressor too: one deflate call per 64 KB, not one per line (flush() still
            // reaches the GZIPOutputStream, whose syncFlush makes what was written readable)
            os = new BufferedOutputStream(new GZIPOutputStream(os, 1 << 16, true), 1 << 16);
        }
        this.out = os;
        out.write((String.join(",", ResultsLayout.CONNECTION_COLUMNS) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        this.thread = new Thread(LowPriority.lowered(this::run), "conlimit-connections-writer"); // nice 19
        thread.setDaemon(true);
        thread.start();
    }

    /** Any thread, never blocks: queues the record, or only counts it once the cap is reached. */
    void offer(ConnectionRecord record) {
        if (offered.getAndIncrement() < cap) {
            queue.offer(record);
            if (stopping) {
                LockSupport.unpark(thread);
            }
        }
    }

    private void run() {
        StringBuilder sb = new StringBuilder(256);
        byte[] line = new byte[256];
        long lastFlush = System.nanoTime();
        try {
            while (true) {
                ConnectionRecord r = queue.poll();
                if (r != null) {
                    sb.setLength(0);
                    CsvFormat.appendConnection(sb, r);
                    sb.append('\n');
                    line = write(sb, line);
                    rows++;
                }
                // flushed once a period also while records keep coming (under load the queue is never empty)
                if ((rows & 1023) == 0 || r == null) {
                    long now = System.nanoTime();
                    if (now - lastFlush >= flushPeriodNanos) {
                        out.flush();
                        lastFlush = now;
                    }
                }
                if (r != null) {
                    continue;
                }
                if (stopping && queue.isEmpty()) {
                    break;
                }
                LockSupport.parkNanos(IDLE_PARK_NANOS);
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            try {
                out.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
    }

    /**
     * Writes the line in UTF-8 through {@code buf} (grown when too small, returned for the next line): ASCII
     * lines, nearly all of them, are copied char by char without allocating.
     */
    private byte[] write(StringBuilder sb, byte[] buf) throws IOException {
        int n = sb.length();
        if (buf.length < n) {
            buf = new byte[Math.max(n, buf.length * 2)];
        }
        for (int i = 0; i < n; i++) {
            char c = sb.charAt(i);
            if (c >= 0x80) {
                out.write(sb.toString().getBytes(StandardCharsets.UTF_8)); // a detail with non-ASCII text
                return buf;
            }
            buf[i] = (byte) c;
        }
        out.write(buf, 0, n);
        return buf;
    }

    /** Writes what is queued, closes the file and waits for the writer thread. */
    void stop() throws InterruptedException {
        stopping = true;
        LockSupport.unpark(thread);
        thread.join();
    }

    /** Rows written (valid after {@link #stop}). */
    long rows() {
        return rows;
    }

    /** Records that arrived after the cap was reached and were only counted. */
    long dropped() {
        return Math.max(0, offered.get() - cap);
    }

    Path file() {
        return file;
    }

    /** The write error that stopped the writer, or null. */
    IOException failure() {
        return failure;
    }
}
