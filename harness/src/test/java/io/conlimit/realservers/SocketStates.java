package io.conlimit.realservers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** TCP socket states on loopback read with iproute2's {@code ss} (the test's evidence of what the kernel holds). */
final class SocketStates {
    private SocketStates() {
    }

    /** {@code ss -Htn state STATE FILTER} lines (no header), e.g. state "syn-recv", filter "( sport = :8080 )". */
    static List<String> lines(String state, String filter) {
        try {
            String out = ServerProcess.runChecked(Duration.ofSeconds(10), null, List.of("ss", "-Htn", "state", state, filter));
            return Arrays.stream(out.split("\n")).map(String::trim).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Server-side sockets of {@code port} (local port == port) in {@code state}. */
    static int serverSide(String state, int port) {
        return lines(state, "( sport = :" + port + " )").size();
    }

    /** Client-side sockets towards {@code port} (remote port == port) in {@code state}. */
    static int clientSide(String state, int port) {
        return lines(state, "( dport = :" + port + " )").size();
    }

    static boolean listening(int port) {
        return serverSide("listening", port) > 0;
    }

    /** The listener's {@code ss -ltn} line: "Recv-Q Send-Q local peer" (Recv-Q: queued now, Send-Q: the backlog). */
    static int[] listenerQueue(int port) {
        List<String> l = lines("listening", "( sport = :" + port + " )");
        if (l.isEmpty()) {
            return null;
        }
        String[] f = l.get(0).split("\\s+");
        return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
    }

    /** Every TCP socket of {@code port}, both sides, for failure messages. */
    static String dump(int port) {
        try {
            return ServerProcess.runChecked(Duration.ofSeconds(10), null,
                    List.of("ss", "-tn", "state", "all", "( sport = :" + port + " or dport = :" + port + " )"));
        } catch (IOException e) {
            return "(ss failed: " + e + ")";
        }
    }
}
