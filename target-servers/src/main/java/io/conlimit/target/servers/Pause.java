package io.conlimit.target.servers;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Back-off after a failed accept() (e.g. EMFILE), so a persistent error does not spin a core. */
final class Pause {
    static final long AFTER_ACCEPT_ERROR_MILLIS = 10;

    private Pause() {
    }

    static void afterAcceptError(CountDownLatch stopped) {
        try {
            stopped.await(AFTER_ACCEPT_ERROR_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
