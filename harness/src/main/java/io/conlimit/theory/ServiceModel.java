package io.conlimit.theory;

import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * What the theory knows about the server: its kind, W, Q, the effective backlog B as the kernel reports
 * it (never the request), the somaxconn of its namespace and how long it keeps each connection.
 *
 * @param kind             null for an external server of unknown kind
 * @param workers          W, or -1 when unknown (external servers)
 * @param queue            Q (thread-pool's hand-off queue), 0 otherwise
 * @param effectiveBacklog B as the kernel reports it (ss -lnt Send-Q), -1 when unknown
 * @param requestedBacklog the int listen() was given, -1 when unknown
 * @param somaxconn        net.core.somaxconn of the server's namespace, -1 when unknown
 * @param holdMean         mean time a worker keeps a connection; null = for ever (mu = 0)
 * @param acceptDelay      sleepy-accept's pause after each accept(), null for other kinds
 */
public record ServiceModel(ServerKind kind, int workers, int queue, int effectiveBacklog, int requestedBacklog,
                           int somaxconn, Duration holdMean, Duration acceptDelay) {

    /** An embedded or lab server: everything is known once B has been read from the kernel. */
    public static ServiceModel of(ServerConfig config, int effectiveBacklog, int somaxconn) {
        HoldSpec hold = config.hold();
        return new ServiceModel(config.kind(), config.workers(), config.queue(), effectiveBacklog,
                config.backlog().passedToListen(), somaxconn, hold.mean(),
                config.kind() == ServerKind.SLEEPY_ACCEPT ? config.acceptDelay() : null);
    }

    /** An external server: only what its kernel says (B and somaxconn, -1 when no agent reports them). */
    public static ServiceModel external(int effectiveBacklog, int somaxconn) {
        return new ServiceModel(null, -1, 0, effectiveBacklog, -1, somaxconn, null, null);
    }

    public boolean workersKnown() {
        return workers >= 0 && kind != null;
    }

    /** Whether a bounded pool holds connections (blocking-pool, thread-pool): the kinds with a fixed W(+Q)+B+1. */
    public boolean pooled() {
        return kind == ServerKind.BLOCKING_POOL || kind == ServerKind.THREAD_POOL;
    }

    /** W + Q: connections the application itself holds when every worker (and the hand-off queue) is busy. */
    public int applicationSlots() {
        return workers + (kind == ServerKind.THREAD_POOL ? queue : 0);
    }

    /** B + 1: what the accept queue holds (sk_acceptq_is_full is "more than B"). */
    public int queueSlots() {
        return effectiveBacklog + 1;
    }

    /** W (+Q) + B + 1 for pooled kinds with B known; empty for sleepy-accept, event-loop and unknown W. */
    public OptionalInt concurrentLimit() {
        if (!pooled() || effectiveBacklog < 0) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(applicationSlots() + queueSlots());
    }

    /**
     * mu, connections per second the server completes: W / mean hold for pools (0 when it holds for ever,
     * infinite when it holds 0), 1 / accept delay for sleepy-accept, infinite for event-loop, NaN when unknown.
     */
    public double serviceRate() {
        if (kind == null) {
            return Double.NaN;
        }
        return switch (kind) {
            case EVENT_LOOP -> Double.POSITIVE_INFINITY;
            case SLEEPY_ACCEPT -> perSecond(1, acceptDelay);
            case BLOCKING_POOL, THREAD_POOL -> holdMean == null ? 0 : perSecond(workers, holdMean);
        };
    }

    private static double perSecond(double n, Duration d) {
        if (d == null || d.isZero()) {
            return Double.POSITIVE_INFINITY;
        }
        return n / (d.toNanos() / 1e9);
    }

    /** Whether somaxconn cut the request: requested above somaxconn and B equal to it. */
    public boolean clamped() {
        return somaxconn >= 0 && requestedBacklog > somaxconn && effectiveBacklog == somaxconn;
    }

    /** "blocking-pool W=2 B=8", for sentences. */
    public String describe() {
        if (kind == null) {
            return "external server" + (effectiveBacklog >= 0 ? " B=" + effectiveBacklog : "");
        }
        StringBuilder b = new StringBuilder(kind.cliName());
        if (kind != ServerKind.EVENT_LOOP) {
            b.append(" W=").append(workers);
        }
        if (kind == ServerKind.THREAD_POOL) {
            b.append(" Q=").append(queue);
        }
        b.append(" B=").append(effectiveBacklog);
        return b.toString();
    }
}
