package io.conlimit.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A tiny TCP peer run as a child JVM inside a lab namespace by the tests (a JVM cannot enter a namespace).
 * {@code listen ADDR PORT}: binds with the largest backlog (the kernel clamps it to the namespace's
 * somaxconn), prints {@code listening ...}, accepts one connection (60 s at most), prints its peer, exits.
 * {@code connect ADDR PORT}: connects (10 s at most), prints {@code connected local=IP:PORT}, exits.
 */
public final class LabTestPeer {
    private LabTestPeer() {
    }

    public static void main(String[] args) throws IOException {
        String addr = args[1];
        int port = Integer.parseInt(args[2]);
        if (args[0].equals("listen")) {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(addr, port), Integer.MAX_VALUE);
                server.setSoTimeout(60_000);
                System.out.println("listening " + addr + ":" + port);
                System.out.flush();
                try (Socket s = server.accept()) {
                    InetSocketAddress peer = (InetSocketAddress) s.getRemoteSocketAddress();
                    System.out.println("accepted from " + peer.getAddress().getHostAddress() + ":" + peer.getPort());
                }
            }
        } else {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(addr, port), 10_000);
                InetSocketAddress local = (InetSocketAddress) s.getLocalSocketAddress();
                System.out.println("connected local=" + local.getAddress().getHostAddress() + ":" + local.getPort());
            }
        }
    }
}
