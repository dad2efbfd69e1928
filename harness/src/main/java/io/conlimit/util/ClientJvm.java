package io.conlimit.util;

import java.util.List;

/**
 * The JVM options a conlimit client runs with wherever conlimit starts it: the {@code ./conlimit} launcher, the lab's
 * client re-executed in its namespace ({@code lab run}, a lab scenario), and the container image's entry point (the
 * pods of {@code fleet k8s}). Measured in docs/benchmarks.md ("Where the time goes", items 1 and 5):
 * <ul>
 *   <li>{@code -XX:TieredStopAtLevel=1}: C1 only. C2 spent about a third of the client's CPU compiling Netty during a
 *       10 s run on 2 cores; in a sharded fleet on one machine its compiler threads were still running at the
 *       start instant, beside the gate.</li>
 *   <li>{@code -Xmn512m}: a young generation big enough that a 10 s run at a few thousand connections a second sees
 *       no young collection (G1's default paused every 0.3 to 2.5 s for 22 to 75 ms here). Under a smaller heap the
 *       JVM shrinks it to fit, silently.</li>
 * </ul>
 * The launcher script and docker/Dockerfile.harness spell the same list; ClientJvmTest holds them to it.
 */
public final class ClientJvm {
    public static final List<String> OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-Xmn512m");

    private ClientJvm() {
    }
}
