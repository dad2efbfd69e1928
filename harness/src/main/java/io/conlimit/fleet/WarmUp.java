package io.conlimit.fleet;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import io.conlimit.text.PlainErrors;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs the fleet's connect path before a big phase against a private listener of the client's own on
 * 127.0.0.1 (never the target), so that phase runs compiled code: a JVM executes the first few thousand
 * connects interpreted and spends a core on its JIT compilers meanwhile (profiled: a first burst of 10,000
 * took twice as long as a third one). The warm-up connections are not counted, not recorded and never reach
 * the target; they are closed with RST (no TIME_WAIT), in rounds well below the private listener's backlog
 * (no accept-queue overflow, no SYN-queue drop in the kernel's counters). Skipped for small loads and
 * when the system property {@code conlimit.warmup=false}.
 */
final class WarmUp {
    /** Loads at least this big (burst size, or arrivals per second) get a warm-up. */
    static final int THRESHOLD = 1000;
    private static final int ROUNDS = 6;
    private static final int ROUND_SIZE = 500;
    private static final int BACKLOG = 4096;

    private WarmUp() {
    }

    /** Whether {@code phases} are big enough for a warm-up to matter (and it is not switched off). */
    static boolean wanted(List<LoadPhase> phases) {
        if (!Boolean.parseBoolean(System.getProperty("conlimit.warmup", "true"))) {
            return false;
        }
        for (LoadPhase p : phases) {
            if (p instanceof LoadPhase.Burst b && b.connections() >= THRESHOLD
                    || p instanceof LoadPhase.Rate r && r.perSecond() >= THRESHOLD
                    || p instanceof LoadPhase.Ramp r2 && Math.max(r2.fromPerSecond(), r2.toPerSecond()) >= THRESHOLD) {
                return true;
            }
        }
        return false;
    }

    /** Runs the warm-up on {@code transport}'s loops; returns a one-line description of what it did. */
    static String run(Transport transport, boolean directSockets) throws InterruptedException {
        long t0 = System.nanoTime();
        int done = 0;
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
            InetSocketAddress address = (InetSocketAddress) server.getLocalAddress();
            Thread acceptor = new Thread(() -> accept(server), "conlimit-warmup-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
            ClientOptions options = new ClientOptions(new Probe.Connect(), Duration.ofSeconds(2), Duration.ofSeconds(1),
                    Duration.ZERO, ClientOptions.CloseMode.RST, List.of());
            LongAdder ok = new LongAdder();
            LongAdder started = new LongAdder();
            FleetListener counting = new FleetListener() {
                @Override
                public void started(int phase, long intendedNanos, long connectCallNanos) {
                    started.increment();
                }

                @Override
                public void decided(ConnectionRecord record) {
                    if (record.outcome().probeSucceeded()) {
                        ok.increment();
                    }
                }

                @Override
                public void closed(ConnectionRecord record) {
                }
            };
            for (int round = 0; round < ROUNDS; round++) {
                RunContext run = new RunContext(transport, address, options, counting, System.nanoTime(), directSockets);
                PhaseStats stats = new PhaseStats(0, "warm-up", false);
                if (round % 2 == 0) {
                    BurstPhase.run(run, stats, ROUND_SIZE);
                } else {
                    PacedPhase.run(run, stats, ArrivalSchedule.of(
                            new LoadPhase.Rate(ROUND_SIZE * 40.0, Duration.ofMillis(25), false), round));
                }
                if (!run.unsettled.awaitZero(System.nanoTime() + Duration.ofSeconds(10).toNanos())) {
                    return "client warm-up stopped: its connections to its own listener did not settle";
                }
                done = (int) started.sum();
                if (ok.sum() == 0) {
                    return "client warm-up stopped: no connection to its own loopback listener " + address + " succeeded";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "no client warm-up (private loopback listener: " + PlainErrors.message(e) + ")";
        }
        return String.format(Locale.ROOT, "the client warmed up its connect path first: %d connects to its own loopback "
                + "listener (never the target, not recorded) in %.0f ms", done, (System.nanoTime() - t0) / 1e6);
    }

    private static void accept(ServerSocketChannel server) {
        try {
            while (true) {
                server.accept().close(); // the client closes with RST: no TIME_WAIT on either side
            }
        } catch (IOException e) {
            // the listener was closed: the warm-up is over
        }
    }
}
