package io.conlimit.theory;

import io.conlimit.target.ServerKind;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A burst of N simultaneous connects: B+1 fit in the accept queue, idle workers take W (and thread-pool's
 * acceptor Q more) while it arrives; the others' SYNs are dropped and retried at the client kernel's
 * retransmit times. At each retry a cluster gets in: as many as the server freed since (its service
 * rate times the time). What has not got in when connect() times out is a connect-timeout.
 *
 * <p>On a server kernel with SYN cookies on and tcp_abort_on_overflow off ({@link ServerKernel#answersWholeClusters()},
 * Linux's defaults), the retransmits of one cluster arrive together (their timers were armed together), the accept
 * queue is checked when each SYN arrives and grows only when a final ACK does: so a cluster that finds any free slot
 * is answered whole, the free slots take that many, and the rest complete their handshake on the client's side while
 * the server drops their final ACKs (phantoms, or half-open while a request socket remains). They stop retrying.
 *
 * @param connections    N
 * @param admittedAtOnce connected without a SYN retransmit
 * @param clusters       connections expected to get into the server at each retry time (only non-empty clusters)
 * @param timeouts       expected connect-timeouts
 * @param phantoms       expected to be connected on the client's side with no socket on the server's (cookie batches)
 */
public record BurstForecast(int connections, int admittedAtOnce, List<Cluster> clusters, int timeouts, int phantoms) {

    /** {@code count} connections expected to connect at {@code at} after the burst (a SYN retry time). */
    public record Cluster(Duration at, int count) {
    }

    public BurstForecast {
        clusters = List.copyOf(clusters);
    }

    /** Without cookie batches. */
    public BurstForecast(int connections, int admittedAtOnce, List<Cluster> clusters, int timeouts) {
        this(connections, admittedAtOnce, clusters, timeouts, 0);
    }

    /** Connections expected to complete a handshake on the client's side (phantoms included). */
    public int admittedTotal() {
        return connections - timeouts;
    }

    /** Connections expected to get into the server: at once and at the retry clusters (no phantom). */
    public int admittedByServer() {
        return connections - timeouts - phantoms;
    }

    /** Connections expected to need at least one SYN retransmit. */
    public int retransmitting() {
        return connections - admittedAtOnce;
    }

    /**
     * @param launchSpread how long the burst took to launch (first to last connect()), Duration.ZERO when unknown
     * @return null when the model cannot say (unknown W, or a server that frees slots at once)
     */
    public static BurstForecast of(ServiceModel m, int n, SynSchedule schedule, Duration connectTimeout, Duration launchSpread) {
        return of(m, n, schedule, connectTimeout, launchSpread, 0);
    }

    /**
     * As above, against a server that already holds {@code occupied} connections of earlier phases for ever (they
     * take the workers first, then queue slots): the burst finds only what is left of W (+Q) + B + 1.
     */
    public static BurstForecast of(ServiceModel m, int n, SynSchedule schedule, Duration connectTimeout, Duration launchSpread,
                                   int occupied) {
        return of(m, n, schedule, connectTimeout, launchSpread, occupied, ServerKernel.UNKNOWN);
    }

    /** As above, with the server kernel's settings: cookie batches when {@link ServerKernel#answersWholeClusters()}. */
    public static BurstForecast of(ServiceModel m, int n, SynSchedule schedule, Duration connectTimeout, Duration launchSpread,
                                   int occupied, ServerKernel kernel) {
        if (m.kind() == null || m.effectiveBacklog() < 0 || m.kind() == ServerKind.EVENT_LOOP
                || Double.isInfinite(m.serviceRate())) {
            return null;
        }
        if (occupied > 0 && m.holdMean() != null) {
            throw new IllegalArgumentException("occupied slots are modelled only for a server that holds for ever");
        }
        int atOnce = (int) Math.min(n, Math.max(0, Math.floor(capacity(m, launchSpread)) - occupied));
        int admitted = atOnce;
        int phantoms = 0;
        List<Cluster> clusters = new ArrayList<>();
        for (Duration t : schedule.before(connectTimeout)) {
            int retrying = n - admitted - phantoms;
            if (retrying == 0) {
                break;
            }
            int room = (int) Math.floor(capacity(m, t)) - occupied - admitted;
            int count = Math.max(0, Math.min(retrying, room));
            if (count > 0) {
                clusters.add(new Cluster(t, count));
                admitted += count;
                if (kernel.answersWholeClusters()) {
                    phantoms += retrying - count; // the whole cluster was answered; the queue dropped the rest's final ACKs
                }
            }
        }
        return new BurstForecast(n, atOnce, clusters, n - admitted - phantoms, phantoms);
    }

    /**
     * Connections the server can have taken by time t after the burst started: B+1 in the queue, plus what
     * the application took: pools W (+Q) idle slots and W per completed hold; sleepy-accept one per delay.
     */
    static double capacity(ServiceModel m, Duration t) {
        // whole services completed by t, in integer nanoseconds (7 s / 200 ms must be 35, not 34.999...)
        long taken;
        if (m.kind() == ServerKind.SLEEPY_ACCEPT) {
            taken = 1 + t.toNanos() / m.acceptDelay().toNanos();
        } else if (m.holdMean() == null) {
            taken = m.applicationSlots();
        } else {
            // fixed-length service: each worker frees its slot once per hold; exp holds average the same
            taken = m.applicationSlots() + (long) m.workers() * (t.toNanos() / m.holdMean().toNanos());
        }
        return m.queueSlots() + taken;
    }
}
