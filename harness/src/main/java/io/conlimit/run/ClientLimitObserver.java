package io.conlimit.run;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/**
 * After the run: how much of it measured the client rather than the server. {@code client_limited_share} is the
 * fraction of the connections attempted whose outcome was {@code client-limited} (this machine's own limit:
 * EMFILE, EADDRNOTAVAIL, ENOBUFS); {@code measured} is {@code client} when that is more than half, else
 * {@code server}. A mostly client-limited run says so in one line, and an expectation gates on it
 * ({@code client_limited_share < 0.5}).
 */
public final class ClientLimitObserver implements RunObserver {
    /** Above this share of client-limited outcomes the run measured the client. */
    public static final double MOSTLY = 0.5;

    @Override
    public void annotate(ObjectNode summary, ObservedRun ctx) {
        long connections = summary.path("connections").asLong(0);
        long limited = summary.path("outcomes").path("client-limited").asLong(0);
        double share = connections == 0 ? 0 : (double) limited / connections;
        summary.put("client_limited_share", Math.round(share * 1e4) / 1e4);
        boolean client = share > MOSTLY;
        summary.put("measured", client ? "client" : "server");
        if (client) {
            ctx.err().println(String.format(Locale.ROOT, "conlimit run: WARNING: this run measured the CLIENT, not the server: "
                    + "%,d of %,d connections (%.1f%%) were client-limited (this machine's own open-file, port or buffer "
                    + "limits); see the client self-check above and docs/run.md", limited, connections, share * 100));
        }
    }
}
