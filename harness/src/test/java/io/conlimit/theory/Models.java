package io.conlimit.theory;

import io.conlimit.target.ServerKind;

import java.time.Duration;
import java.util.List;

/** Test fixtures: models and this kernel's default SYN schedule (tcp_syn_linear_timeouts=4). */
final class Models {
    static final SynSchedule LINEAR4 = new SynSchedule(List.of(1, 2, 3, 4, 5, 7, 11, 19, 35, 67).stream()
            .map(s -> Duration.ofSeconds(s)).toList());

    private Models() {
    }

    static ServiceModel pool(int w, int b, Duration hold) {
        return new ServiceModel(ServerKind.BLOCKING_POOL, w, 0, b, b, 4096, hold, null);
    }

    static ServiceModel threadPool(int w, int q, int b, Duration hold) {
        return new ServiceModel(ServerKind.THREAD_POOL, w, q, b, b, 4096, hold, null);
    }

    static ServiceModel sleepy(Duration delay, int b) {
        return new ServiceModel(ServerKind.SLEEPY_ACCEPT, 1, 0, b, b, 4096, Duration.ZERO, delay);
    }

    static ServiceModel eventLoop(int b) {
        return new ServiceModel(ServerKind.EVENT_LOOP, 0, 0, b, b, 4096, null, null);
    }

    static Duration ms(long ms) {
        return Duration.ofMillis(ms);
    }
}
