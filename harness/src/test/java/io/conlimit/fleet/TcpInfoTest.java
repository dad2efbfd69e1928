package io.conlimit.fleet;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.epoll.EpollTcpInfo;
import io.netty.channel.unix.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link TcpInfo} reads struct tcp_info at fixed offsets; Netty's native code decodes the same struct field by
 * field ({@link EpollTcpInfo}). Both must agree on the same socket: state and total retransmits, in SYN_SENT
 * after a real SYN retransmit (a full accept queue drops the SYNs) and in ESTABLISHED.
 */
@Timeout(30)
class TcpInfoTest {

    @Test
    void agreesWithNettysDecodingInSynSentAfterARetransmitAndOnceEstablished() throws Exception {
        assumeTrue(Epoll.isAvailable(), "TCP_INFO needs the epoll transport's native library");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        List<java.net.Socket> fill = new ArrayList<>();
        try (ServerSocket full = TestServers.listener(1)) {
            fill.add(TestServers.plainConnect(full)); // backlog 1 queues max + 1 = 2: full after these
            fill.add(TestServers.plainConnect(full));
            ChannelFuture connect = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0).handler(new ChannelInboundHandlerAdapter())
                    .connect(TestServers.address(full));
            EpollSocketChannel ch = (EpollSocketChannel) connect.channel();
            Socket same = new Socket(ch.fd().intValue()); // a view of the channel's descriptor (never closed here)

            long deadline = System.nanoTime() + 10_000_000_000L;
            while (ch.eventLoop().submit(() -> ch.tcpInfo().totalRetrans()).get() < 1) {
                assertTrue(System.nanoTime() < deadline, "no SYN retransmit within 10 s");
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000); // poll interval
            }
            ch.eventLoop().submit(() -> {
                EpollTcpInfo netty = ch.tcpInfo();
                TcpInfo ours = TcpInfo.read(same);
                assertEquals(TcpInfo.SYN_SENT, ours.state());
                assertEquals(netty.state(), ours.state());
                assertEquals(netty.totalRetrans(), ours.totalRetrans());
                assertTrue(ours.totalRetrans() >= 1);
                return null;
            }).get();

            full.accept().close(); // room in the queue: the next retransmitted SYN gets in
            assertTrue(connect.awaitUninterruptibly(10_000) && connect.isSuccess(), "connected after a retransmit: " + connect.cause());
            ch.eventLoop().submit(() -> {
                EpollTcpInfo netty = ch.tcpInfo();
                TcpInfo ours = TcpInfo.read(same);
                assertEquals(TcpInfo.ESTABLISHED, ours.state());
                assertTrue(ours.handshakeDone());
                assertEquals(netty.state(), ours.state());
                assertEquals(netty.totalRetrans(), ours.totalRetrans());
                return null;
            }).get();
            ch.close().sync();
        } finally {
            for (java.net.Socket s : fill) {
                s.close();
            }
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
