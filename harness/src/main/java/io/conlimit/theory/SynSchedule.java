package io.conlimit.theory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The client kernel's SYN retransmit times, cumulative from the first SYN (e.g. 1, 2, 3, 4, 5, 7, 11 s
 * with tcp_syn_linear_timeouts=4 on Linux 6.5+). Computed elsewhere from the client's sysctls; taken as given here.
 */
public record SynSchedule(List<Duration> retryTimes) {
    public SynSchedule {
        retryTimes = List.copyOf(retryTimes);
        for (int i = 1; i < retryTimes.size(); i++) {
            if (retryTimes.get(i).compareTo(retryTimes.get(i - 1)) <= 0) {
                throw new IllegalArgumentException("SYN retry times must increase: " + retryTimes);
            }
        }
    }

    /** The retries a connect() with this timeout lives to send: those strictly before the timeout. */
    public List<Duration> before(Duration connectTimeout) {
        List<Duration> out = new ArrayList<>();
        for (Duration d : retryTimes) {
            if (d.compareTo(connectTimeout) < 0) {
                out.add(d);
            }
        }
        return out;
    }
}
