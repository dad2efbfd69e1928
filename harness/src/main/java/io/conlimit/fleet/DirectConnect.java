package io.conlimit.fleet;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The fast path: a connect-probe connection closed as soon as it is decided, on a bare non-blocking socket
 * (Netty's native {@link LinuxSocket}) instead of a Netty channel. System calls: socket (plus Netty's family
 * check), SO_LINGER for an RST close, connect, TCP_INFO, getsockname, close; an epoll registration on its
 * event loop (Netty's {@link EpollIoHandle} API) only when the handshake is still pending after connect()
 * returned. On loopback the kernel mostly completes the handshake inside the connect() call, so TCP_INFO
 * right after it already says ESTABLISHED. A Netty channel made 13 system calls per connection (profiled,
 * docs/benchmarks.md); the outcomes and records are the same as {@link Connection}'s.
 * <p>
 * {@code connected} is when the client saw the completion: TCP_INFO ESTABLISHED (or CLOSE_WAIT) right after
 * connect(), on the EPOLLOUT event, or at the connect deadline. A failure is classified from connect()'s
 * errno or the socket's SO_ERROR. Event-loop thread only (an epoll event loop).
 */
final class DirectConnect implements Attempt, EpollIoHandle {
    private final RunContext run;
    private final PhaseStats phase;
    private final IoEventLoop loop;
    private final ConnectionTrace trace;

    private LinuxSocket socket;
    private Throwable failure;
    /** The failure came from connect() itself (not from creating or binding): TCP_INFO is worth reading. */
    private boolean connectFailed;
    private IoRegistration registration;
    private long connectDeadline;

    DirectConnect(RunContext run, PhaseStats phase, IoEventLoop loop, long id) {
        this.run = run;
        this.phase = phase;
        this.loop = loop;
        this.trace = new ConnectionTrace(run, phase, id, this, loop);
    }

    @Override
    public Future<Void> prepare() {
        prepareSocket();
        return loop.newSucceededFuture(null);
    }

    /** Creates the socket (and binds it); a failure is kept and becomes the outcome at connect time. */
    private void prepareSocket() {
        try {
            socket = LinuxSocket.newSocketStream(run.remote.getAddress() instanceof Inet6Address
                    ? SocketProtocolFamily.INET6 : SocketProtocolFamily.INET);
            if (run.rst) {
                socket.setSoLinger(0); // close() then sends an RST: no TIME_WAIT left behind
            }
            InetAddress source = run.nextSource();
            if (source != null) {
                socket.bind(new InetSocketAddress(source, 0));
            }
        } catch (Throwable t) {
            failure = t; // EMFILE from socket(), EADDRINUSE from bind...: classified at connect time
        }
    }

    @Override
    public long connectNow(long intendedNanos) {
        trace.calling(intendedNanos);
        if (failure == null) {
            trace.to(ConnectionState.CONNECTING);
            try {
                socket.connect(run.remote); // true when connected at once: called() sees it in TCP_INFO
            } catch (IOException | RuntimeException e) {
                failure = e;
                connectFailed = true;
            }
        }
        return trace.call;
    }

    @Override
    public void called() {
        trace.reportStarted();
        try {
            if (failure != null) {
                if (connectFailed) {
                    try {
                        readTcpInfo(); // the SYN retransmits and local address of the socket that tried
                    } catch (IOException e) {
                        // the failure itself is the outcome
                    }
                }
                decide(Classifier.onConnect(failure));
            } else {
                check(false);
            }
        } catch (RuntimeException e) {
            decide(Classifier.onConnect(e)); // e.g. epoll_ctl failed: an error outcome, never an unsettled socket
        }
    }

    @Override
    public void launch(long intendedNanos) {
        prepareSocket();
        connectNow(intendedNanos);
        called();
    }

    @Override
    public long callNanos() {
        return trace.call;
    }

    /** Where the handshake is: done (ok), failed (classified) or pending (waits for EPOLLOUT or its deadline). */
    private void check(boolean atDeadline) {
        int state;
        try {
            state = readTcpInfo();
        } catch (IOException e) {
            decide(Classifier.onConnect(e));
            return;
        }
        if (state == TcpInfo.ESTABLISHED || state == TcpInfo.CLOSE_WAIT) {
            trace.connectedNow();
            decide(Outcome.CONNECTED, "");
        } else if (state == TcpInfo.SYN_SENT) {
            if (atDeadline) {
                decide(Outcome.CONNECT_TIMEOUT, "no SYN-ACK within " + run.connectTimeoutNanos / 1_000_000 + "ms");
            } else if (registration == null) {
                waitForCompletion();
            }
        } else {
            decide(Classifier.onConnect(socketError(state)));
        }
    }

    /** Reads TCP_INFO: the SYN retransmits so far and the local address; returns the TCP state. */
    private int readTcpInfo() throws IOException {
        TcpInfo info = TcpInfo.read(socket);
        trace.syn = info.totalRetrans();
        if (trace.local.isEmpty()) {
            trace.local = SourceAddresses.format(socket.localAddress());
        }
        return info.state();
    }

    private Throwable socketError(int state) {
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

    private void waitForCompletion() {
        Future<IoRegistration> f = loop.register(this); // on the loop itself: done at once
        if (!f.isSuccess()) {
            decide(Classifier.onConnect(f.cause() != null ? f.cause() : new IOException("epoll registration did not complete")));
            return;
        }
        registration = f.getNow();
        registration.submit(EpollIoOps.EPOLLOUT); // writable once connected; EPOLLERR/EPOLLHUP come anyway;
        // a failure (UncheckedIOException) is decided by called(), which closes and cancels
        connectDeadline = trace.call + run.connectTimeoutNanos;
        run.deadlines(loop).add(trace);
    }

    /** The epoll event (EPOLLOUT, EPOLLERR or EPOLLHUP) while the handshake was pending. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (trace.outcome != null) {
            registration.cancel(); // decided already: no more events for this socket
            return;
        }
        try {
            check(false);
        } catch (RuntimeException e) {
            decide(Classifier.onConnect(e));
        }
    }

    @Override
    public long connectDeadline() {
        return connectDeadline;
    }

    /** At the deadline the kernel's state decides: ESTABLISHED (completion not processed yet) is ok, SYN_SENT a timeout. */
    @Override
    public boolean connectTimedOut() {
        if (trace.outcome == null) {
            try {
                check(true);
            } catch (RuntimeException e) {
                decide(Classifier.onConnect(e));
            }
        }
        return true;
    }

    private void decide(Classifier.Verdict v) {
        decide(v.outcome(), v.detail());
    }

    /** Decides, tells the listener and closes at once (the connect probe holds nothing). */
    private void decide(Outcome o, String d) {
        if (!trace.decide(o, d)) {
            return;
        }
        run.deadlines(loop).remove(trace);
        try {
            trace.reportStarted();
            ConnectionRecord decided = trace.record(-1, trace.connected >= 0 ? "open" : "none");
            run.tellDecided(decided);
            String how = trace.connected >= 0 ? (run.rst ? "rst" : "fin") : trace.outcome == Outcome.RESET ? "peer-rst" : "none";
            closeSocket();
            trace.to(ConnectionState.CLOSED);
            run.tellClosed(decided.closedAt(run.now(), how));
        } finally {
            closeSocket();
            run.settled(); // exactly once: outcome is set above, a second decide returns at once
        }
    }

    /** Closes the descriptor, then drops the epoll registration (a closed descriptor leaves epoll by itself). */
    private void closeSocket() {
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

    @Override
    public FileDescriptor fd() {
        return socket;
    }

    /** The event loop shut down with this registration open. */
    @Override
    public void close() {
        closeSocket();
    }
}
