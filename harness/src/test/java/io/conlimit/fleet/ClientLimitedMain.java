package io.conlimit.fleet;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM under a low open-file limit by {@link ClientLimitedTest}: a burst of N connects held
 * until the end to 127.0.0.1:PORT. Prints {@code outcome=count} lines and one {@code detail=} line.
 * Usage: ClientLimitedMain PORT N
 */
public final class ClientLimitedMain {
    private ClientLimitedMain() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
        int n = Integer.parseInt(args[1]);
        // "held": until the end (bare sockets); "held-channel": until the end on Netty channels; "direct": hold 0 (bare sockets)
        String mode = args.length > 2 ? args[2] : "held";
        Duration hold = mode.equals("direct") ? Duration.ZERO : null;
        ClientOptions held = new ClientOptions(new Probe.Connect(), Duration.ofSeconds(3), Duration.ofSeconds(2), hold,
                ClientOptions.CloseMode.RST, List.of());
        try (Fleet fleet = new Fleet(1, !mode.equals("held-channel"))) {
            // A one-connection run first, while file descriptors are plentiful, so every class the fleet needs is
            // loaded (class files under target/classes each need a descriptor to be read).
            fleet.run(target, held, List.of(new LoadPhase.Burst(1)), new CollectingListener(), System.nanoTime());
            CollectingListener l = new CollectingListener();
            fleet.run(target, held, List.of(new LoadPhase.Burst(n)), l, System.nanoTime());
            System.out.println("path=" + fleet.connectPath(held, List.of(new LoadPhase.Burst(n))));
            for (Map.Entry<Outcome, Integer> e : l.outcomes().entrySet()) {
                System.out.println(e.getKey().key() + "=" + e.getValue());
            }
            l.closed().stream().filter(r -> r.outcome() == Outcome.CLIENT_LIMITED).findFirst()
                    .ifPresent(r -> System.out.println("detail=" + r.detail()));
            l.closed().stream().filter(r -> r.outcome() == Outcome.ERROR).findFirst()
                    .ifPresent(r -> System.out.println("error-detail=" + r.detail()));
        }
    }
}
