package io.conlimit.target.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;

/**
 * What a worker of a blocking server does with one connection: send the banner, answer each received
 * line (--echo / --respond) and stay busy for the hold time, then close. A fixed or exponential hold keeps
 * the worker busy for the whole time even if the peer closes early (the service time is the server's);
 * {@code forever} ends when the peer closes or the server stops. Counts in-service, served and closed.
 */
final class ConnectionService {
    private final HoldSpec hold;
    private final Replies replies;
    private final ServerCounters counters;
    private final OpenSockets open;
    private final CountDownLatch stopped;

    ConnectionService(ServerConfig config, ServerCounters counters, OpenSockets open, CountDownLatch stopped) {
        this.hold = config.hold();
        this.replies = new Replies(config);
        this.counters = counters;
        this.open = open;
        this.stopped = stopped;
    }

    /** Serves {@code socket} on the calling thread and closes it. The caller has counted it accepted. */
    void serve(Socket socket) {
        counters.serviceStarted();
        boolean completed = false;
        try {
            if (!open.add(socket)) {
                return;
            }
            long holdNanos = hold.sampleNanos(new SplittableRandom(ThreadLocalRandom.current().nextLong()));
            long deadline = holdNanos == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + holdNanos;
            OutputStream out = socket.getOutputStream();
            if (replies.banner() != null) {
                out.write(replies.banner());
                out.flush();
            }
            completed = holdAndAnswer(socket, out, deadline);
        } catch (IOException e) {
            // reset by the peer, or closed by the server's stop: the service ends uncompleted
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(socket);
            OpenSockets.closeQuietly(socket);
            counters.serviceEnded(completed);
            counters.closed();
        }
    }

    /** @return true when the hold elapsed (or, for forever, the peer closed) */
    private boolean holdAndAnswer(Socket socket, OutputStream out, long deadline) throws IOException, InterruptedException {
        InputStream in = socket.getInputStream();
        LineAssembler lines = new LineAssembler();
        byte[] buf = new byte[4096];
        while (true) {
            long left = deadline == Long.MAX_VALUE ? 0 : deadline - System.nanoTime();
            if (deadline != Long.MAX_VALUE && left <= 0) {
                return true;
            }
            if (stopped.getCount() == 0) {
                return false;
            }
            // SO_TIMEOUT 0 = wait for data forever; otherwise at least 1 ms (0 would mean forever)
            socket.setSoTimeout(deadline == Long.MAX_VALUE ? 0 : (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left) + 1)));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                continue;
            }
            if (n < 0) {
                if (deadline == Long.MAX_VALUE) {
                    return true;
                }
                // the peer is gone; the worker stays busy for the rest of its hold
                long rest = deadline - System.nanoTime();
                return rest <= 0 || !stopped.await(rest, TimeUnit.NANOSECONDS);
            }
            if (replies.answersLines()) {
                lines.feed(buf, n, line -> {
                    out.write(replies.echo() ? line : replies.respond());
                });
                out.flush();
            }
        }
    }
}
