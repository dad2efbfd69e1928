package io.conlimit.fleet;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The system-call side of {@link DirectConnect}: a bare non-blocking socket (Netty's native {@link LinuxSocket})
 * created, registered with its event loop's epoll, read through one buffer per event loop, and closed. No state of
 * its own per connection; event-loop thread only.
 */
final class BareSockets {
    /** What a connected socket is watched for: data (the banner, or bytes to drop), and the peer's close. */
    static final EpollIoOps READ_OPS = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLRDHUP);
    private static final int READ_BUFFER_BYTES = 2048;
    /** Each event loop's read buffer (direct memory, reused): a held connection keeps no buffer of its own. */
    private static final ThreadLocal<ByteBuffer> READ_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(READ_BUFFER_BYTES));
    /**
     * Reads per readiness event at most: a server that floods a held connection cannot keep its loop from the
     * others (the registration is level-triggered: what is left wakes the loop again).
     */
    private static final int READS_PER_EVENT = 8;

    /** What {@link #drain} finds on a socket. */
    interface Reads {
        /** {@code n} bytes arrived, at the start of {@code buf} (valid until this returns); false: stop reading. */
        boolean bytes(ByteBuffer buf, int n);

        /** The peer closed (FIN). */
        void eof();

        /** The read failed (a reset by the peer, or another error). */
        void failed(IOException e);
    }

    private BareSockets() {
    }

    /** A new socket for {@code run}'s target: SO_LINGER 0 for an RST close, bound to the next --source address. */
    static LinuxSocket open(RunContext run) throws IOException {
        LinuxSocket socket = LinuxSocket.newSocketStream(run.remote.getAddress() instanceof Inet6Address
                ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
        try {
            if (run.rst) {
                socket.setSoLinger(0); // close() then sends an RST: no TIME_WAIT left behind
            }
            InetAddress source = run.nextSource();
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Reads TCP_INFO into {@code trace} (SYN retransmits so far, the local address once); returns the TCP state. */
    static int tcpState(LinuxSocket socket, ConnectionTrace trace) throws IOException {
        TcpInfo info = TcpInfo.read(socket);
        trace.syn = info.totalRetrans();
        if (trace.local.isEmpty()) {
            trace.local = SourceAddresses.format(socket.localAddress());
        }
        return info.state();
    }

    /** Why a connect failed, from SO_ERROR, for a socket found in TCP state {@code state} (neither connected nor connecting). */
    static Throwable connectError(LinuxSocket socket, int state) {
        int errno;
        try {
            errno = socket.getSoError();
        } catch (IOException e) {
            return e;
        }
        if (errno == 0) {
            return new IOException("connect: no error, but the socket is in TCP state " + TcpInfo.stateName(state));
        }
        return new Errors.NativeIoException("connect", -errno, false);
    }

    /** Registers {@code handle} with the loop's epoll (no events asked yet); throws when it could not. */
    static IoRegistration register(IoEventLoop loop, EpollIoHandle handle) {
        Future<IoRegistration> f = loop.register(handle); // on the loop itself: done at once
        if (!f.isSuccess()) {
            Throwable cause = f.cause() != null ? f.cause() : new IOException("epoll registration did not complete");
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause.getMessage(), cause);
        }
        return f.getNow();
    }

    /** Reads what is there (at most {@link #READS_PER_EVENT} reads) through the loop's buffer, telling {@code to}. */
    static void drain(LinuxSocket socket, Reads to) {
        ByteBuffer buf = READ_BUFFER.get();
        for (int i = 0; i < READS_PER_EVENT; i++) {
            int n;
            try {
                n = socket.read(buf, 0, buf.capacity());
            } catch (IOException e) {
                to.failed(e);
                return;
            }
            if (n == 0) {
                return; // EAGAIN: nothing more for now
            }
            if (n < 0) {
                to.eof();
                return;
            }
            if (!to.bytes(buf, n)) {
                return;
            }
        }
    }

    /** Closes the descriptor, then drops the epoll registration (a closed descriptor leaves epoll by itself). */
    static void close(LinuxSocket socket, IoRegistration registration) {
        if (socket != null && socket.isOpen()) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do: the descriptor is gone either way
            }
        }
        if (registration != null) {
            registration.cancel(); // idempotent
        }
    }
}
