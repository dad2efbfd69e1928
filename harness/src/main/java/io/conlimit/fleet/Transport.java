package io.conlimit.fleet;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.unix.Socket;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Netty transport the fleet runs on: epoll when the native library loads (SYN retransmits read from
 * TCP_INFO), else NIO (SYN retransmit counts unknown, reported as -1).
 */
final class Transport {
    private final boolean epoll;
    private final EventLoopGroup group;
    private final List<EventLoop> loops;

    Transport(int eventLoops) {
        if (eventLoops < 1) {
            throw new IllegalArgumentException("event loops must be at least 1, got " + eventLoops);
        }
        this.epoll = Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("conlimit-fleet", true);
        this.group = new MultiThreadIoEventLoopGroup(eventLoops, threads,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        List<EventLoop> l = new ArrayList<>();
        for (int i = 0; i < eventLoops; i++) {
            l.add(group.next());
        }
        this.loops = List.copyOf(l);
        warmUp();
    }

    /**
     * Loads and initialises, on every event loop, what the first connect needs (channel classes, registration,
     * TCP_INFO, timers), so the first connects of a run are not delayed by class initialisation.
     */
    private void warmUp() {
        for (EventLoop loop : loops) {
            loop.submit(() -> {
                Channel ch = newChannel(true);
                loop.register(ch).addListener(f -> {
                    totalRetrans(ch);
                    loop.schedule(() -> { }, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
                    ch.close();
                });
            }).syncUninterruptibly();
        }
        Classifier.onConnect(new java.net.ConnectException("warm-up"));
    }

    boolean epoll() {
        return epoll;
    }

    String name() {
        return epoll ? "epoll" : "nio";
    }

    /** The one-line notice printed when running on NIO, or null on epoll. */
    String notice() {
        return epoll ? null : "conlimit: epoll transport unavailable (" + Epoll.unavailabilityCause()
                + "); using NIO: SYN retransmit counts are unknown (-1)";
    }

    List<EventLoop> loops() {
        return loops;
    }

    /**
     * A new unregistered client channel; throws (e.g. ChannelException: Too many open files) when the socket
     * cannot be created. Netty's own connect timeout is off (0): the fleet times connects itself (one timer
     * per event loop, see {@link ConnectDeadlines}), so Netty does not schedule a second timer per connect.
     * TCP_NODELAY (one setsockopt) only when the probe writes a request: a connect or banner probe sends nothing.
     */
    Channel newChannel(boolean writes) {
        Channel ch = epoll ? new EpollSocketChannel() : new NioSocketChannel();
        ch.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0);
        if (writes) {
            ch.config().setOption(ChannelOption.TCP_NODELAY, true);
        }
        return ch;
    }

    /** tcpi_total_retrans of the socket (its SYN retransmits while connecting), -1 when unknown or unreadable. */
    static int totalRetrans(Channel ch) {
        TcpInfo info = tcpInfo(ch);
        return info == null ? -1 : info.totalRetrans();
    }

    /**
     * Whether the kernel completed the socket's handshake: TCP_INFO state ESTABLISHED, or CLOSE_WAIT (connected,
     * then the server's FIN arrived); false in SYN_SENT, after a reset, or when unknown (NIO).
     */
    static boolean handshakeDone(Channel ch) {
        TcpInfo info = tcpInfo(ch);
        return info != null && info.handshakeDone();
    }

    /**
     * The channel's TCP_INFO in this thread's reused buffer ({@link TcpInfo}: the one reader, no allocation),
     * null on NIO or when the socket is closed or unreadable.
     */
    private static TcpInfo tcpInfo(Channel ch) {
        if (ch instanceof EpollSocketChannel e && e.isOpen() && e.fd() instanceof Socket socket) {
            try {
                return TcpInfo.read(socket);
            } catch (IOException | RuntimeException ex) {
                return null;
            }
        }
        return null;
    }

    void shutdown() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
