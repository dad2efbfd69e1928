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
        long deadline = System.nanoTime() + (ourTarget - wallNanos());
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return wallNanos();
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
}
