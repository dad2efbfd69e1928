package io.conlimit.target.servers;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The event-loop server's listener when a connection needs nothing but accept and close (hold 0, no banner, no
 * replies): the listening socket is registered on one event loop through Netty's {@link EpollIoHandle} API and,
 * on EPOLLIN, accepts until the queue is empty and closes each connection at once (a FIN, as the channel path
 * does). No Netty channel per connection: accept4 and close, the system calls of a C accept loop, where a child
 * channel cost 13 (profiled: family check, local address, TCP_NODELAY twice, SO_SNDBUF, a hand-off to a worker
 * with an eventfd write, epoll_ctl add and delete). So this target absorbs connection rates that a benchmark
 * of the client needs (docs/benchmarks.md) without taking the client's CPU on a small machine.
 */
final class AcceptAndClose implements EpollIoHandle {
    /** Netty's size for an accepted peer address (IPv6 address, scope id, port). */
    private static final int ADDRESS_BYTES = 26;

    private final LinuxSocket listener;
    private final ServerCounters counters;
    private final byte[] peer = new byte[ADDRESS_BYTES];
    private IoRegistration registration;

    private AcceptAndClose(LinuxSocket listener, ServerCounters counters) {
        this.listener = listener;
        this.counters = counters;
    }

    /** Binds and listens with {@code backlog} (the value passed to listen(2)), then accepts on {@code loop}. */
    static AcceptAndClose open(InetSocketAddress address, int backlog, IoEventLoop loop, ServerCounters counters)
            throws IOException {
        LinuxSocket socket = LinuxSocket.newSocketStream(); // dual-stack where IPv6 is preferred, as Netty's server channel
        AcceptAndClose a = new AcceptAndClose(socket, counters);
        try {
            socket.setReuseAddress(true);
            socket.bind(address);
            socket.listen(backlog);
            IoRegistration r = loop.register(a).get(10, TimeUnit.SECONDS);
            r.submit(EpollIoOps.EPOLLIN);
            a.registration = r;
            return a;
        } catch (IOException e) {
            socket.close();
            throw e;
        } catch (Exception e) {
            socket.close();
            throw new IOException("could not register the listener on the event loop: " + e, e);
        }
    }

    /** The bound address (the real port when 0 was asked). */
    InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    /** EPOLLIN on the listener: accept every queued connection and close it. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        while (true) {
            int fd;
            try {
                fd = listener.accept(peer);
            } catch (IOException e) {
                return; // EMFILE and the like: level-triggered epoll reports the listener again
            }
            if (fd < 0) {
                return; // EAGAIN: the accept queue is empty
            }
            counters.accepted();
            counters.serviceStarted();
            try {
                new FileDescriptor(fd).close();
            } catch (IOException e) {
                // the descriptor is released either way
            }
            counters.serviceEnded(true);
            counters.closed();
        }
    }

    @Override
    public FileDescriptor fd() {
        return listener;
    }

    /** Stops listening: connections still in the accept queue are reset by the kernel. */
    @Override
    public void close() throws IOException {
        if (registration != null) {
            registration.cancel();
        }
        listener.close();
    }
}
