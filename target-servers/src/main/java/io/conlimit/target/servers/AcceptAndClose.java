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
    /** Accepts per EPOLLIN before the loop's other work (stop, timers) gets a turn: level-triggered, it comes back. */
    private static final int DRAIN = 1024;
    /** After an accept error (EMFILE...), accepts pause this long, as Netty's ServerBootstrapAcceptor does. */
    private static final long PAUSE_SECONDS = 1;

    private final LinuxSocket listener;
    private final ServerCounters counters;
    private final byte[] peer = new byte[ADDRESS_BYTES];
    private final IoEventLoop loop;
    private IoRegistration registration;
    private long acceptErrors;

    private AcceptAndClose(LinuxSocket listener, ServerCounters counters, IoEventLoop loop) {
        this.listener = listener;
        this.counters = counters;
        this.loop = loop;
    }

    /** Binds and listens with {@code backlog} (the value passed to listen(2)), then accepts on {@code loop}. */
    static AcceptAndClose open(InetSocketAddress address, int backlog, IoEventLoop loop, ServerCounters counters)
            throws IOException {
        LinuxSocket socket = LinuxSocket.newSocketStream(); // dual-stack where IPv6 is preferred, as Netty's server channel
        AcceptAndClose a = new AcceptAndClose(socket, counters, loop);
        try {
            socket.setReuseAddress(true);
            socket.bind(address);
            socket.listen(backlog);
            a.registration = loop.register(a).get(10, TimeUnit.SECONDS);
            a.registration.submit(EpollIoOps.EPOLLIN);
            return a;
        } catch (IOException e) {
            a.closeQuietly();
            throw e;
        } catch (Exception e) {
            a.closeQuietly();
            throw new IOException("could not register the listener on the event loop: " + e, e);
        }
    }

    /** The bound address (the real port when 0 was asked). */
    InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    /** EPOLLIN on the listener: accept the queued connections (up to {@link #DRAIN}) and close each one. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        for (int i = 0; i < DRAIN; i++) {
            int fd;
            try {
                fd = listener.accept(peer);
            } catch (IOException e) {
                pauseAfter(e);
                return;
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

    /**
     * An accept error (EMFILE, ENFILE, ENOBUFS...) would come back at once from level-triggered epoll and spin
     * the loop: stop asking for EPOLLIN for a while (EPOLLERR only), say so on stderr (the first time), retry.
     */
    private void pauseAfter(IOException e) {
        if (acceptErrors++ == 0) {
            System.err.println("conlimit-target: accept() failed (" + e.getMessage() + "); pausing accepts for "
                    + PAUSE_SECONDS + " s after each such error");
        }
        if (registration == null || !registration.isValid()) {
            return;
        }
        registration.submit(EpollIoOps.EPOLLERR);
        loop.schedule(() -> {
            if (registration.isValid()) {
                registration.submit(EpollIoOps.EPOLLIN);
            }
        }, PAUSE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public FileDescriptor fd() {
        return listener;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // failing to open already: the first error is the one to report
        }
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
