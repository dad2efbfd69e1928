package io.conlimit.kernel;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples one listener's accept queue (Recv-Q = queued, Send-Q = max) and the namespace's
 * {@link TcpExtCounters#LISTEN_EVIDENCE} counters at a fixed rate on its own daemon thread, into a bounded in-memory
 * buffer (the oldest samples are dropped first, and counted).
 * <p>
 * Where the queue length comes from: the LISTEN rows at the head of the namespace's /proc/net/tcp and tcp6
 * ({@link ProcNet}, {@link ProcNetTcp}: rx_queue of a listener is sk_ack_backlog, what ss shows as Recv-Q), held
 * open and re-read without starting a process. The listener is chosen once by the rules of
 * {@link ListenQueues#find} and then followed by its socket inode, reading its file no further than its row, until it
 * is gone (then the rules choose again). Cost per sample (measured on a 2-core machine, Linux 6.18): 8-50 us of
 * CPU when the listener is not the last of its file, else up to about 0.5 ms (the kernel scans its established-hash
 * array for the next row; less when the namespace has many connections), plus 65-100 us for the counters. The
 * maximum (Send-Q, sk_max_ack_backlog) is not in /proc: it is read with {@code ss -e} ({@link ListenQueues#byInode})
 * when a listener is chosen; a {@code listen()} called again on the same socket to change its backlog is not seen. For another namespace ({@link ListenQueues#prefix()} non-empty) the
 * files are opened through a short-lived helper process behind the prefix ({@link ProcNet#in(List)}), or given with
 * {@link Builder#procNet(ProcNet)}. When /proc cannot be used (or with {@link Builder#ssOnly()}), each sample runs
 * {@code ss -Hlnt} as before: one process per sample, 12-30 ms of CPU each on the same machine (ss -l also asks
 * for CLOSE sockets, so the kernel walks every established and TIME_WAIT socket), behind {@code ip netns exec} for
 * a namespace. {@link #queueSource()} says which one is in use.
 * <p>
 * More than 50 Hz is refused.
 */
public final class ListenQueueSampler implements AutoCloseable {
    /** Default sampling rate. */
    public static final double DEFAULT_RATE_HZ = 10;
    /** Default buffer: one hour at 10 Hz. */
    public static final int DEFAULT_CAPACITY = 36_000;

    /**
     * One reading.
     *
     * @param nanos    System.nanoTime() minus the sampler's epoch, at the middle of the queue reading (/proc or ss)
     * @param queued   accept-queue length (Recv-Q), -1 when no listener was found on the port
     * @param max      accept-queue maximum (Send-Q), -1 when no listener was found
     * @param counters the LISTEN_EVIDENCE counters at that moment (cumulative; empty when they could not be read)
     */
    public record Sample(long nanos, int queued, int max, Map<String, Long> counters) {
        public Sample {
            counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
        }

        /** Whether a listener was found on the port at that moment. */
        public boolean listenerFound() {
            return max >= 0;
        }
    }

    private final TcpExtCounters counters;
    private final String host;
    private final int port;
    private final double rateHz;
    private final int capacity;
    private final long epochNanos;

    private final ArrayDeque<Sample> buffer = new ArrayDeque<>();
    private long taken;
    private long dropped;
    private long errors;
    private String lastError;
    private int maxQueuedSeen = -1;
    private int maxMaxSeen = -1;
    private ScheduledExecutorService executor;

    private final ListenQueueReader reader;

    private ListenQueueSampler(Builder b) {
        this.counters = b.counters;
        this.host = b.host;
        this.port = b.port;
        this.rateHz = b.rateHz;
        this.capacity = b.capacity;
        this.epochNanos = b.epochNanos;
        this.reader = new ListenQueueReader(b.queues, b.host, b.port, b.procNet, b.ssOnly);
    }

    public static Builder builder(ListenQueues queues, int port) {
        return new Builder(queues, port);
    }

    /** Builder: rate, buffer capacity, host, epoch and counter source are optional. */
    public static final class Builder {
        private final ListenQueues queues;
        private final int port;
        private TcpExtCounters counters = new TcpExtCounters();
        private String host;
        private double rateHz = DEFAULT_RATE_HZ;
        private int capacity = DEFAULT_CAPACITY;
        private long epochNanos;
        private ProcNet procNet;
        private boolean ssOnly;

        private Builder(ListenQueues queues, int port) {
            this.queues = Objects.requireNonNull(queues, "queues");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535, got " + port);
            }
            this.port = port;
        }

        /** Where the counters come from (default: this process's namespace); null = do not read counters. */
        public Builder counters(TcpExtCounters counters) {
            this.counters = counters;
            return this;
        }

        /** Only the listener on this address (or the wildcard of its family); default: the first on the port. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder rateHz(double rateHz) {
            if (!(rateHz > 0 && rateHz <= 50)) {
                throw new IllegalArgumentException("sampling rate must be > 0 and <= 50 Hz, got " + rateHz);
            }
            this.rateHz = rateHz;
            return this;
        }

        public Builder capacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("sample buffer capacity must be >= 1, got " + capacity);
            }
            this.capacity = capacity;
            return this;
        }

        /** Sample times are System.nanoTime() minus this (default 0: raw nanoTime). */
        public Builder epochNanos(long epochNanos) {
            this.epochNanos = epochNanos;
            return this;
        }

        /**
         * Read queue lengths from these open /proc/net files (the caller's: it closes them after the sampler); by
         * default the sampler opens its own, for the namespace {@code queues} reads.
         */
        public Builder procNet(ProcNet procNet) {
            this.procNet = Objects.requireNonNull(procNet, "procNet");
            this.ssOnly = false;
            return this;
        }

        /** Read every sample with ss, as before /proc was used (to compare the two, or to rule /proc out). */
        public Builder ssOnly() {
            this.ssOnly = true;
            this.procNet = null;
            return this;
        }

        public ListenQueueSampler build() {
            return new ListenQueueSampler(this);
        }
    }

    /** Starts the sampling thread (the first sample is taken at once). Idempotent. */
    public synchronized ListenQueueSampler start() {
        if (executor == null) {
            executor = Executors.newSingleThreadScheduledExecutor(r -> {
                // nice 19: a sample (a walk of the kernel's established table when the listener is the last of its
                // file, 3-4 ms of CPU each at 20,000 connections/s) must not take a CPU the load generator or the
                // server under test is waiting for; each sample is timed when it is read, so a late one is still true
                Thread t = new Thread(LowPriority.lowered(r), "listen-queue-sampler-" + port);
                t.setDaemon(true);
                return t;
            });
            long periodNanos = (long) (1e9 / rateHz);
            executor.scheduleAtFixedRate(this::sampleQuietly, 0, periodNanos, TimeUnit.NANOSECONDS);
        }
        return this;
    }

    /**
     * Stops sampling and waits (up to 5 s) for a sample in progress, and closes the /proc files the sampler opened
     * (a later sample opens them again); the buffer stays readable.
     */
    public void stop() {
        ScheduledExecutorService e;
        synchronized (this) {
            e = executor;
            executor = null;
        }
        if (e != null) {
            e.shutdownNow();
            try {
                e.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        reader.close();
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean running() {
        return executor != null;
    }

    /** Takes one sample now, records it in the buffer and returns it. */
    public Sample sampleNow() throws IOException {
        ListenQueueReader.Reading r = reader.read();
        Map<String, Long> c = counters == null ? Map.of() : counters.readEvidence();
        Sample s = new Sample(r.nanos() - epochNanos, r.queued(), r.max(), c);
        record(s);
        return s;
    }

    /**
     * How the queue length is read now: {@code "/proc/net (Send-Q from ss -e)"}, {@code "/proc/net of namespace NS
     * (net:[...]) (Send-Q from ss -e)"}, {@code "ss"} (chosen with {@link Builder#ssOnly()}) or {@code "ss (/proc
     * not used: REASON)"}. Before the first sample it names what will be tried.
     */
    public String queueSource() {
        return reader.source();
    }

    /** Samples whose queue length came from /proc (also those that found no listener there). */
    public long samplesFromProc() {
        return reader.samplesFromProc();
    }

    /** Samples whose queue length was read with ss (the fallback, or a listener that changed between /proc and ss). */
    public long samplesFromSs() {
        return reader.samplesFromSs();
    }

    private void sampleQuietly() {
        try {
            sampleNow();
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                errors++;
                lastError = e.getMessage();
            }
        }
    }

    private synchronized void record(Sample s) {
        if (buffer.size() >= capacity) {
            buffer.removeFirst();
            dropped++;
        }
        buffer.addLast(s);
        taken++;
        maxQueuedSeen = Math.max(maxQueuedSeen, s.queued());
        maxMaxSeen = Math.max(maxMaxSeen, s.max());
    }

    /** Buffered samples with {@code nanos > sinceNanos}, oldest first. */
    public synchronized List<Sample> since(long sinceNanos) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : buffer) {
            if (s.nanos() > sinceNanos) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Buffered samples with {@code nanos > sinceNanos}, oldest first, and removes them (and any older) from the
     * buffer: for a single consumer in this process that keeps what it needs as the samples come, so that the buffer
     * does not hold a run's samples for up to {@link #DEFAULT_CAPACITY} of them. Not for a sampler several readers
     * poll ({@link #since}, the agent).
     */
    public synchronized List<Sample> takeSince(long sinceNanos) {
        List<Sample> out = since(sinceNanos);
        buffer.clear();
        return out;
    }

    /** The largest accept-queue length seen over every sample taken (also those dropped from the buffer); -1 if none. */
    public synchronized int maxQueuedSeen() {
        return maxQueuedSeen;
    }

    /** The largest accept-queue maximum (Send-Q) seen; -1 if no listener was ever found. */
    public synchronized int maxBacklogSeen() {
        return maxMaxSeen;
    }

    public synchronized long samplesTaken() {
        return taken;
    }

    /** Samples pushed out of the full buffer. */
    public synchronized long samplesDropped() {
        return dropped;
    }

    /** Failed sampling attempts (ss or the counters could not be read), and the last reason. */
    public synchronized long errors() {
        return errors;
    }

    public synchronized Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public int port() {
        return port;
    }

    public Optional<String> host() {
        return Optional.ofNullable(host);
    }

    public double rateHz() {
        return rateHz;
    }

    public long epochNanos() {
        return epochNanos;
    }
}
