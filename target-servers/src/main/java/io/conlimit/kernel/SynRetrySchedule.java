package io.conlimit.kernel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * When a Linux client retransmits an unanswered SYN and when its connect() gives up with ETIMEDOUT, as the
 * kernel's retransmit timer computes it (net/ipv4/tcp_timer.c, {@code tcp_retransmit_timer} and
 * {@code tcp_write_timeout}):
 * <ul>
 *   <li>The first SYN is sent at 0 with RTO = TCP_TIMEOUT_INIT (1 s).</li>
 *   <li>Each time the timer fires, before retransmitting, the connection is given up when either
 *       (a) the retransmits already made reach {@code tcp_syn_retries + tcp_syn_linear_timeouts}, or
 *       (b) at least one retransmit was made and the time since the first SYN reaches
 *       {@code tcp_model_timeout(tcp_syn_retries)}: {@code (2^(retries+1) - 1) * 1 s} while that stays under
 *       the RTO cap's doubling range ({@code ilog2(rto_max / 1 s)} steps), plus {@code rto_max} per extra retry.</li>
 *   <li>Otherwise the SYN is retransmitted and the backoff counter goes up by one; the RTO doubles (capped at
 *       TCP_RTO_MAX, 120 s, or {@code net.ipv4.tcp_rto_max_ms} where it exists) only once the backoff
 *       exceeds {@code tcp_syn_linear_timeouts}; before that it stays at 1 s (linear).</li>
 * </ul>
 * Linux 6.5+ defaults (retries 6, linear 4): retransmits at 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s, failure at
 * 131 s. Before 6.5 (no linear timeouts): 1, 3, 7, 15, 31, 63 s, failure at 127 s. Rule (b) matters for
 * small retry counts: retries 2 with linear 4 gives up at 7 s after 5 retransmits (checked on this kernel
 * in a namespace: 6 ListenOverflows, 5 TCPSynRetrans, ETIMEDOUT after 7.1 s). Times are nominal: the
 * kernel's timers run in jiffies, so real events land a few milliseconds later.
 */
public final class SynRetrySchedule {
    /** TCP_TIMEOUT_INIT: the RTO of a SYN before any RTT is known. */
    public static final long INITIAL_RTO_MILLIS = 1000;
    /** TCP_RTO_MAX, the default of net.ipv4.tcp_rto_max_ms where that setting exists. */
    public static final long DEFAULT_RTO_MAX_MILLIS = 120_000;

    private final int synRetries;
    private final int linearTimeouts;
    private final boolean linearKnown;
    private final long rtoMaxMillis;
    private final List<Long> retransmitMillis;
    private final long failureMillis;

    private SynRetrySchedule(int synRetries, int linearTimeouts, boolean linearKnown, long rtoMaxMillis,
                             List<Long> retransmitMillis, long failureMillis) {
        this.synRetries = synRetries;
        this.linearTimeouts = linearTimeouts;
        this.linearKnown = linearKnown;
        this.rtoMaxMillis = rtoMaxMillis;
        this.retransmitMillis = retransmitMillis;
        this.failureMillis = failureMillis;
    }

    /**
     * @param synRetries     net.ipv4.tcp_syn_retries (or the socket's TCP_SYNCNT), 1..127
     * @param linearTimeouts net.ipv4.tcp_syn_linear_timeouts; 0 on kernels before 6.5, which lack it
     * @param rtoMaxMillis   the RTO cap (TCP_RTO_MAX, 120 000 ms unless net.ipv4.tcp_rto_max_ms says otherwise)
     */
    public static SynRetrySchedule compute(int synRetries, int linearTimeouts, long rtoMaxMillis) {
        return compute(synRetries, linearTimeouts, true, rtoMaxMillis);
    }

    private static SynRetrySchedule compute(int synRetries, int linearTimeouts, boolean linearKnown, long rtoMaxMillis) {
        if (synRetries < 1 || synRetries > 127) {
            throw new IllegalArgumentException("tcp_syn_retries must be 1..127, got " + synRetries);
        }
        if (linearTimeouts < 0 || linearTimeouts > 127) {
            throw new IllegalArgumentException("tcp_syn_linear_timeouts must be 0..127, got " + linearTimeouts);
        }
        if (rtoMaxMillis < INITIAL_RTO_MILLIS) {
            throw new IllegalArgumentException("RTO max must be at least " + INITIAL_RTO_MILLIS + " ms, got " + rtoMaxMillis);
        }
        long modelTimeout = modelTimeoutMillis(synRetries, INITIAL_RTO_MILLIS, rtoMaxMillis);
        int maxRetransmits = synRetries + linearTimeouts;
        List<Long> retransmits = new ArrayList<>();
        long rto = INITIAL_RTO_MILLIS;
        long now = 0;
        int backoff = 0;
        while (true) {
            now += rto; // the timer fires
            int made = retransmits.size();
            boolean expired = made >= maxRetransmits || (made > 0 && now >= modelTimeout);
            if (expired) {
                return new SynRetrySchedule(synRetries, linearTimeouts, linearKnown, rtoMaxMillis,
                        Collections.unmodifiableList(retransmits), now);
            }
            retransmits.add(now);
            backoff++;
            if (backoff > linearTimeouts) {
                rto = Math.min(rto << 1, rtoMaxMillis);
            }
        }
    }

    /** tcp_model_timeout(): the time budget of {@code boundary} exponentially backed-off retransmits. */
    static long modelTimeoutMillis(int boundary, long rtoBase, long rtoMax) {
        int thresh = 63 - Long.numberOfLeadingZeros(rtoMax / rtoBase); // ilog2
        if (boundary <= thresh) {
            return ((2L << boundary) - 1) * rtoBase;
        }
        return ((2L << thresh) - 1) * rtoBase + (long) (boundary - thresh) * rtoMax;
    }

    /** From the sysctls of the namespace {@code sysctls} reads; tcp_syn_linear_timeouts absent (before 6.5) = 0. */
    public static SynRetrySchedule fromSysctls(Sysctls sysctls) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : List.of("net.ipv4.tcp_syn_retries", "net.ipv4.tcp_syn_linear_timeouts", "net.ipv4.tcp_rto_max_ms")) {
            sysctls.read(name).ifPresent(v -> values.put(name, v));
        }
        return fromSysctlMap(values);
    }

    /**
     * From sysctl values by name (as {@link Sysctls#decisive()} or an agent's /sysinfo gives them); missing or
     * "n/a" linear timeouts = 0 (kernel before 6.5), missing tcp_rto_max_ms = 120 000.
     *
     * @throws IllegalArgumentException when tcp_syn_retries is missing or not a number
     */
    public static SynRetrySchedule fromSysctlMap(Map<String, ?> sysctls) {
        OptionalInt retries = parse(sysctls.get("net.ipv4.tcp_syn_retries"));
        if (retries.isEmpty()) {
            throw new IllegalArgumentException("net.ipv4.tcp_syn_retries is not readable: " + sysctls.get("net.ipv4.tcp_syn_retries"));
        }
        OptionalInt linear = parse(sysctls.get("net.ipv4.tcp_syn_linear_timeouts"));
        OptionalInt rtoMax = parse(sysctls.get("net.ipv4.tcp_rto_max_ms"));
        return compute(retries.getAsInt(), linear.orElse(0), linear.isPresent(),
                rtoMax.isPresent() ? rtoMax.getAsInt() : DEFAULT_RTO_MAX_MILLIS);
    }

    private static OptionalInt parse(Object value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.toString().trim()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    public int synRetries() {
        return synRetries;
    }

    public int linearTimeouts() {
        return linearTimeouts;
    }

    /** False when the kernel has no tcp_syn_linear_timeouts (before 6.5) and 0 was used. */
    public boolean linearTimeoutsKnown() {
        return linearKnown;
    }

    public long rtoMaxMillis() {
        return rtoMaxMillis;
    }

    /** Cumulative times (ms after the first SYN) at which the SYN is retransmitted. */
    public List<Long> retransmitMillis() {
        return retransmitMillis;
    }

    /** When connect() fails with ETIMEDOUT (ms after the first SYN) if nothing ever answers. */
    public long failureMillis() {
        return failureMillis;
    }

    /** For JSON: inputs, retransmit times (s) and the failure time (s). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tcp_syn_retries", synRetries);
        m.put("tcp_syn_linear_timeouts", linearKnown ? (Object) linearTimeouts : "n/a (kernel before 6.5: 0)");
        m.put("initial_rto_ms", INITIAL_RTO_MILLIS);
        m.put("rto_max_ms", rtoMaxMillis);
        List<Double> seconds = new ArrayList<>();
        for (long ms : retransmitMillis) {
            seconds.add(ms / 1000.0);
        }
        m.put("retransmit_at_s", seconds);
        m.put("retransmits", retransmitMillis.size());
        m.put("connect_fails_at_s", failureMillis / 1000.0);
        return m;
    }

    /** One line: "SYN retransmits at 1, 2, 3 s; connect() fails at 7 s (tcp_syn_retries 2, tcp_syn_linear_timeouts 4)". */
    public String describe() {
        StringBuilder sb = new StringBuilder("SYN retransmits at ");
        for (int i = 0; i < retransmitMillis.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(seconds(retransmitMillis.get(i)));
        }
        sb.append(" s; connect() fails at ").append(seconds(failureMillis)).append(" s (tcp_syn_retries ").append(synRetries)
                .append(", tcp_syn_linear_timeouts ").append(linearKnown ? String.valueOf(linearTimeouts) : "absent = 0");
        if (rtoMaxMillis != DEFAULT_RTO_MAX_MILLIS) {
            sb.append(", tcp_rto_max_ms ").append(rtoMaxMillis);
        }
        return sb.append(')').toString();
    }

    private static String seconds(long ms) {
        return ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0);
    }

    @Override
    public String toString() {
        return describe();
    }
}
