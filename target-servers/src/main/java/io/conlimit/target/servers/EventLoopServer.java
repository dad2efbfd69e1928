package io.conlimit.target.servers;

import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty, accepting as fast as it can: the epoll transport when {@link Epoll#isAvailable()}, else NIO.
 * SO_BACKLOG is the request's passed value, but the backlog is not its limit: every connection is
 * accepted at once and held by a scheduled close, without occupying a thread. Its limits are file
 * descriptors and memory. --workers sets the number of I/O threads (0 = Netty's default, 2 x cores).
 * When a connection needs nothing but accept and close (hold 0, no banner, no replies) and epoll is there,
 * one event loop accepts and closes without a channel per connection ({@link AcceptAndClose}).
 */
public final class EventLoopServer extends BaseServer {
    private final boolean epoll;
    private final String transportWarning;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ChannelGroup channels;
    private Channel listener;
    private AcceptAndClose acceptAndClose;

    private EventLoopServer(ServerConfig config) {
        super(config);
        this.epoll = Epoll.isAvailable();
        this.transportWarning = epoll ? null
                : "epoll transport unavailable (" + Epoll.unavailabilityCause() + "): using Java NIO, which loses "
                + "edge-triggered epoll and the native socket options";
    }

    public static EventLoopServer start(ServerConfig config) throws IOException {
        EventLoopServer s = new EventLoopServer(config);
        s.open();
        return s;
    }

    /** "epoll" or "nio". */
    public String transport() {
        return epoll ? "epoll" : "nio";
    }

    /** One event loop accepts and closes when there is no channel per connection. */
    @Override
    protected int workersShown() {
        return acceptAndClose != null ? 1 : super.workersShown();
    }

    /** Whether connections are accepted and closed without a Netty channel ({@link AcceptAndClose}). */
    public boolean acceptsAndCloses() {
        return acceptAndClose != null;
    }

    /** Hold 0 with nothing to say: the connection's whole life is accept and close. */
    static boolean acceptOnly(ServerConfig config, Replies replies) {
        return config.hold() instanceof HoldSpec.Fixed f && f.duration().isZero() && replies.banner() == null
                && !replies.answersLines();
    }

    @Override
    public List<String> warnings() {
        List<String> out = new ArrayList<>(backlog().warnings());
        if (transportWarning != null) {
            out.add(transportWarning);
        }
        return out;
    }

    @Override
    protected InetSocketAddress bind() throws IOException {
        String prefix = "conlimit-" + config.kind().cliName();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(prefix + "-boss", true), io);
        Replies replies = new Replies(config);
        if (epoll && acceptOnly(config, replies)) {
            try {
                acceptAndClose = AcceptAndClose.open(new InetSocketAddress(config.bind(), config.port()),
                        config.backlog().passedToListen(), (IoEventLoop) boss.next(), counters);
            } catch (IOException e) {
                throw Binding.failure("port", config.bind(), config.port(), e);
            }
            return acceptAndClose.localAddress();
        }
        workers = new MultiThreadIoEventLoopGroup(config.workers(), new DefaultThreadFactory(prefix + "-worker", true), io);
        channels = new DefaultChannelGroup(prefix, GlobalEventExecutor.INSTANCE);
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, config.backlog().passedToListen())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        channels.add(ch);
                        if (replies.answersLines()) {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(Replies.MAX_LINE, false, false));
                        }
                        ch.pipeline().addLast(new HeldConnection(config.hold(), replies, counters, stopped));
                    }
                });
        ChannelFuture f = b.bind(new InetSocketAddress(config.bind(), config.port())).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw Binding.failure("port", config.bind(), config.port(), f.cause());
        }
        listener = f.channel();
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    protected void startServing() {
        // Netty accepts from the moment the channel is bound
    }

    @Override
    protected void stopServing() {
        if (acceptAndClose != null) {
            boss.submit(() -> {
                acceptAndClose.close();
                return null;
            }).awaitUninterruptibly(JOIN_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (listener != null) {
            listener.close().awaitUninterruptibly(JOIN_MILLIS, TimeUnit.MILLISECONDS);
        }
        if (channels != null) {
            channels.close().awaitUninterruptibly(JOIN_MILLIS, TimeUnit.MILLISECONDS);
        }
        for (EventLoopGroup g : new EventLoopGroup[] {boss, workers}) {
            if (g != null) {
                g.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
        }
        for (EventLoopGroup g : new EventLoopGroup[] {boss, workers}) {
            if (g != null) {
                g.terminationFuture().awaitUninterruptibly(JOIN_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }
}
