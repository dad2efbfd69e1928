package io.conlimit.fleet;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Run by {@link ResetOnOverflowTest} inside a network namespace with tcp_abort_on_overflow=1 and an nft
 * table {@code conlimit} dropping pure ACKs from 127.0.0.2 to port 5000. One fleet connection from 127.0.0.2
 * (banner probe) completes its side of the handshake while its ACK is dropped; two plain connections from
 * 127.0.0.1 then fill the accept queue (backlog 1: 2 fit); the drop rule is removed; the server's SYN-ACK
 * retransmit draws the ACK again, which meets a full queue: the server answers RST. Prints the record.
 */
public final class ResetOnOverflowMain {
    static final int PORT = 5000;

    private ResetOnOverflowMain() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (ServerSocket server = new ServerSocket(PORT, 1, lo); Fleet fleet = new Fleet(1)) {
            CollectingListener l = new CollectingListener();
            ClientOptions banner = new ClientOptions(new Probe.Banner(), Duration.ofSeconds(3), Duration.ofSeconds(6),
                    Duration.ZERO, ClientOptions.CloseMode.FIN, List.of(InetAddress.getByName("127.0.0.2")));
            CompletableFuture<FleetResult> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return fleet.run(new InetSocketAddress(lo, PORT), banner, List.of(new LoadPhase.Burst(1)), l, System.nanoTime());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (l.started.get() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            // The fleet's SYN was answered (connect() on loopback processes the SYN-ACK at once); now fill the queue.
            Socket a = new Socket();
            a.bind(new InetSocketAddress(lo, 0));
            a.connect(new InetSocketAddress(lo, PORT), 2000);
            Socket b = new Socket();
            b.bind(new InetSocketAddress(lo, 0));
            b.connect(new InetSocketAddress(lo, PORT), 2000);
            Process nft = new ProcessBuilder("nft", "delete", "table", "inet", "conlimit").inheritIO().start();
            if (nft.waitFor() != 0) {
                throw new IllegalStateException("nft delete failed");
            }
            run.get(20, TimeUnit.SECONDS);
            ConnectionRecord r = l.only();
            System.out.println("outcome=" + r.outcome().key());
            System.out.println("close=" + r.close());
            System.out.println("connected=" + (r.connectedNanos() >= 0));
            System.out.println("decided-after-connect-ms=" + (r.decidedNanos() - r.connectedNanos()) / 1_000_000);
            System.out.println("local=" + r.local());
            a.close();
            b.close();
        }
    }
}
