package io.conlimit.plan;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * How each client connection behaves.
 *
 * @param probe           what makes a connection "served"
 * @param connectTimeout  no SYN-ACK by then: connect-timeout
 * @param responseTimeout connected but no answer by then: connected-unserved (probes that expect one)
 * @param hold            how long to keep a connection open after its outcome; null = until the run ends
 * @param closeMode       FIN (orderly) or RST (SO_LINGER 0, avoids TIME_WAIT in rate runs)
 * @param sources         local addresses to spread connections over (empty = the kernel picks)
 */
public record ClientOptions(Probe probe, Duration connectTimeout, Duration responseTimeout, Duration hold,
                            CloseMode closeMode, List<InetAddress> sources) {

    public enum CloseMode { FIN, RST }

    public ClientOptions {
        sources = List.copyOf(sources);
    }

    /** Handshake only, 3 s connect timeout (room for the 1 s and 2 s SYN retransmits), 2 s response timeout, close at once with FIN. */
    public static ClientOptions defaults() {
        return new ClientOptions(new Probe.Connect(), Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ZERO,
                CloseMode.FIN, List.of());
    }

    /**
     * The defaults for a target: against a built-in (embedded) target, which greets every connection it accepts,
     * the {@code banner} probe, so {@code ok} counts connections a worker really took; against any other target
     * the {@code connect} probe (its outcome is {@code connected}: a handshake, not verified as served).
     */
    public static ClientOptions defaults(TargetSpec target) {
        ClientOptions d = defaults();
        return target instanceof TargetSpec.Embedded ? d.withProbe(new Probe.Banner()) : d;
    }

    public ClientOptions withProbe(Probe p) {
        return new ClientOptions(p, connectTimeout, responseTimeout, hold, closeMode, sources);
    }

    /** Whether connections stay open until the run ends. */
    public boolean holdUntilEnd() {
        return hold == null;
    }
}
