package io.conlimit.shard;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.locks.LockSupport;

/**
 * The common start of a fleet's shards: an instant on the wall clock (ISO-8601 UTC, e.g. 2026-12-05T06:00:00.000Z).
 * Waiting for it is a timed wait on the clock, not a synchronisation by sleeping: the shards share no other signal.
 */
public final class StartAt {
    /** Wait no more than this for a start instant (a bound: a typo in the date must not park a pod for years). */
    public static final long MAX_WAIT_SECONDS = 24 * 3600;
    /** The last stretch before the instant is spun rather than parked (parking overshoots by up to ~0.1 ms). */
    private static final long SPIN_NANOS = 200_000;
    /**
     * After the monotonic deadline, how long to keep spinning until the wall clock itself reads the instant. The
     * mapping of wall clock to nanoTime can be off by a preemption between the two reads; this bounds the
     * correction so that a wall clock stepped backwards cannot hold the start.
     */
    private static final long WALL_CORRECTION_NANOS = 20_000_000;

    private StartAt() {
    }

    /** @throws IllegalArgumentException naming the expected form */
    public static Instant parse(String text) {
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--start-at takes an ISO-8601 UTC instant such as 2026-12-05T06:00:00Z, got '"
                    + text + "'");
        }
    }

    /** Now on the wall clock, in nanoseconds since the Unix epoch (microsecond resolution on Linux). */
    public static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public static long epochNanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /**
     * Blocks until the wall clock plus {@code offsetNanos} (the reference clock minus ours) reads
     * {@code targetWallNanos}; returns at once when it already has.
     *
     * @return the wall-clock time (our clock, ns since the epoch) at which it returned
     */
    public static long awaitWall(long targetWallNanos, long offsetNanos) throws InterruptedException {
        long ourTarget = targetWallNanos - offsetNanos;
        // map the wall-clock target to nanoTime once: nanoTime is monotonic, the wall clock may be stepped
        long deadline = ourTarget - wallMinusMonotonic();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return wallReached(ourTarget, deadline);
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting for the start instant");
            }
            if (left > SPIN_NANOS) {
                LockSupport.parkNanos(left - SPIN_NANOS);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The wall clock minus nanoTime: of a few bracketed reads (nanoTime, wall, nanoTime) the tightest, so a
     * preemption between two reads does not shift the mapping.
     */
    private static long wallMinusMonotonic() {
        long best = Long.MAX_VALUE;
        long wallMinusMono = 0;
        for (int i = 0; i < 5; i++) {
            long n0 = System.nanoTime();
            long w = wallNanos();
            long n1 = System.nanoTime();
            if (n1 - n0 < best) {
                best = n1 - n0;
                wallMinusMono = w - (n0 + (n1 - n0) / 2);
            }
        }
        return wallMinusMono;
    }

    /** Spins until the wall clock reads the instant too, for at most {@link #WALL_CORRECTION_NANOS} past the deadline. */
    private static long wallReached(long ourTarget, long deadline) {
        long now = wallNanos();
        while (now < ourTarget && System.nanoTime() - deadline < WALL_CORRECTION_NANOS) {
            Thread.onSpinWait();
            now = wallNanos();
        }
        return now;
    }
}
