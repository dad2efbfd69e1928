package io.conlimit.kernel;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Test support: a fresh namespace named conlimit-k-&lt;random&gt;, or the test is skipped with the reason. */
public final class Namespaces {
    private Namespaces() {
    }

    public static NetworkNamespace createOrSkip() throws IOException {
        var why = NetworkNamespace.unavailableReason();
        assumeTrue(why.isEmpty(), () -> "skipped: " + why.orElse(""));
        assumeTrue(ListenQueues.find().isPresent(), "skipped: iproute2's ss is not installed");
        return NetworkNamespace.create("conlimit-k-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL));
    }
}
