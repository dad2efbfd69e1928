package io.conlimit.fleet;

import io.conlimit.text.PlainErrors;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.epoll.LinuxSocket;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The fast path: a connection of the connect or banner probe on a bare non-blocking socket (Netty's native
 * {@link LinuxSocket}) instead of a Netty channel, held or not. System calls: socket (plus Netty's family check),
 * SO_LINGER for an RST close, connect, TCP_INFO, getsockname, close; an epoll registration on its event loop
 * (Netty's {@link EpollIoHandle} API) only while the handshake is still pending after connect() returned, and
 * for reading once it completed when there is something to read for: the banner probe's first bytes, or a held
 * connection's close or reset by the server. On loopback the kernel mostly completes the handshake inside the
 * connect() call, so TCP_INFO right after it already says ESTABLISHED. A Netty channel made 13 system calls per
 * connection (profiled, docs/benchmarks.md) and keeps a pipeline, a config and buffers per held connection; here a
 * held connection is this object, its trace and its registration, and every read goes through one buffer per
 * event loop. The outcomes and records are the same as {@link Connection}'s.
 * <p>
 * {@code connected} is when the client saw the completion: TCP_INFO ESTABLISHED (or CLOSE_WAIT) right after
 * connect(), on the EPOLLOUT event, or at the connect deadline. A failure is classified from connect()'s
 * errno or the socket's SO_ERROR. After the handshake: the banner's first bytes are {@code ok}; none within the
 * response timeout {@code connected-unserved}; the server's close first {@code app-refused}, its reset
 * {@code reset}. A decided connection that is held (ok, connected, connected-unserved) stays open for the hold or
 * until the run ends, its reads watched, so a server that closes (FIN) or resets it during the hold is recorded as
 * {@code peer-fin} or {@code peer-rst} at that moment, exactly as on a channel. Event-loop thread only (an epoll
 * event loop).
 */
final class DirectConnect implements Attempt, EpollIoHandle, HeldToEnd, BareSockets.Reads {
    private final RunContext run;
    private final PhaseStats phase;
    private final IoEventLoop loop;
    private final ConnectionTrace trace;

    private LinuxSocket socket;
    private Throwable failure;
    /** The failure came from connect() itself (not from creating or binding): TCP_INFO is worth reading. */
    private boolean connectFailed;
    private IoRegistration registration;
    /** Whether the registration asks for reads (EPOLLIN, EPOLLRDHUP) rather than the connect's EPOLLOUT. */
    private boolean reading;
    private long connectDeadline;
    /** The banner probe's response timeout, or a timed hold's end; null when none is armed. */
    private ScheduledFuture<?> timer;
    /** How the socket closes or closed ("rst", "fin", "peer-fin", "peer-rst", "none"); null while it is open. */
    private String closeHow;
    private ReplyDecoder reply;

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
            socket = BareSockets.open(run);
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
                        BareSockets.tcpState(socket, trace); // the SYN retransmits and local address of the socket that tried
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

    /** Where the handshake is: done (then the probe goes on), failed (classified) or pending (waits for EPOLLOUT or its deadline). */
    private void check(boolean atDeadline) {
        int state;
        try {
            state = BareSockets.tcpState(socket, trace);
        } catch (IOException e) {
            decide(Classifier.onConnect(e));
            return;
        }
        if (state == TcpInfo.ESTABLISHED || state == TcpInfo.CLOSE_WAIT) {
            trace.connectedNow();
            connected();
        } else if (state == TcpInfo.SYN_SENT) {
            if (atDeadline) {
                decide(Outcome.CONNECT_TIMEOUT, "no SYN-ACK within " + run.connectTimeoutNanos / 1_000_000 + "ms");
            } else if (registration == null) {
                waitForCompletion();
            }
        } else {
            decide(Classifier.onConnect(BareSockets.connectError(socket, state)));
        }
    }

    /**
     * The handshake completed: the connect probe is decided at once (and, when held, watched for the server's
     * close from now on); the banner probe waits for the first bytes, at most the response timeout.
     */
    private void connected() {
        run.deadlines(loop).remove(trace);
        if (run.probe.kind == ProbeSpec.Kind.CONNECT) {
            if (run.holdNanos == 0 || watchReads()) {
                decide(Outcome.CONNECTED, "");
            }
            return;
        }
        if (watchReads()) {
            timer = loop.schedule(this::responseTimedOut, run.responseTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void waitForCompletion() {
        registration = BareSockets.register(loop, this); // a failure is decided by called(), which closes
        registration.submit(EpollIoOps.EPOLLOUT); // writable once connected; EPOLLERR/EPOLLHUP come anyway;
        // a failure (UncheckedIOException) is decided by called(), which closes and cancels
        connectDeadline = trace.call + run.connectTimeoutNanos;
        run.deadlines(loop).add(trace);
    }

    /**
     * From now on the loop reads this socket (instead of waiting for EPOLLOUT): the banner, and the server's close
     * or reset of a held connection. False when epoll refused it (e.g. its watch limit): the connection is then
     * decided an error (or client-limited) with that errno, never held unwatched.
     */
    private boolean watchReads() {
        if (reading) {
            return true;
        }
        try {
            if (registration == null) {
                registration = BareSockets.register(loop, this);
            }
            registration.submit(BareSockets.READ_OPS);
            reading = true;
            return true;
        } catch (RuntimeException e) {
            decide(Classifier.afterConnect(e));
            return false;
        }
    }

    /** The epoll event: EPOLLOUT (or EPOLLERR, EPOLLHUP) while connecting; EPOLLIN or EPOLLRDHUP once connected. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        if (trace.state() == ConnectionState.CLOSED || trace.connected < 0 && trace.outcome != null) {
            registration.cancel(); // nothing more to learn from this socket
            return;
        }
        try {
            if (trace.connected < 0) {
                check(false);
            } else {
                readable();
            }
        } catch (RuntimeException e) {
            if (trace.outcome == null) {
                decide(trace.connected < 0 ? Classifier.onConnect(e) : Classifier.afterConnect(e));
            } else {
                closeHow = run.rst ? "rst" : "fin"; // cannot watch it any more: closed by us, and recorded so
                finishClose();
            }
        }
    }

    /** Reads what arrived (through the loop's buffer): the probe's answer (first bytes only), the server's close or reset. */
    private void readable() {
        BareSockets.drain(socket, this);
    }

    @Override
    public boolean bytes(ByteBuffer buf, int n) {
        if (trace.firstByte < 0) {
            trace.firstByte = run.now();
        }
        if (trace.outcome == null) {
            if (reply == null) {
                reply = run.probe.newDecoder();
            }
            ByteBuffer read = buf.duplicate();
            read.position(0).limit(n);
            Classifier.Verdict v = reply.feed(Unpooled.wrappedBuffer(read));
            if (v != null) {
                decide(v);
            }
        }
        return trace.state() != ConnectionState.CLOSED;
    }

    /** The server closed (FIN): before the answer a refusal, after the decision the end of a hold. */
    @Override
    public void eof() {
        closeHow = "peer-fin";
        if (trace.outcome == null) {
            decide(Outcome.APP_REFUSED, "closed by the server before answering");
        } else {
            finishClose();
        }
    }

    /** A read failed: a reset by the server (ECONNRESET), or another error; classified as on a channel. */
    @Override
    public void failed(IOException e) {
        closeHow = Classifier.isReset(e) ? "peer-rst" : run.rst ? "rst" : "fin";
        if (trace.outcome == null) {
            decide(Classifier.afterConnect(e));
        } else {
            finishClose();
        }
    }

    private void responseTimedOut() {
        timer = null;
        if (trace.outcome == null) {
            decide(Outcome.CONNECTED_UNSERVED, "no answer within " + run.responseTimeoutNanos / 1_000_000 + "ms");
        }
    }

    @Override
    public long connectDeadline() {
        return connectDeadline;
    }

    /** At the deadline the kernel's state decides: ESTABLISHED (completion not processed yet) is connected, SYN_SENT a timeout. */
    @Override
    public boolean connectTimedOut() {
        if (trace.outcome == null && trace.connected < 0) {
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

    /** Decides, tells the listener, then holds the connection or closes it (as a channel would). */
    private void decide(Outcome o, String d) {
        if (!trace.decide(o, d)) {
            return;
        }
        run.deadlines(loop).remove(trace);
        cancelTimer();
        trace.reportStarted();
        run.tellDecided(trace.record(-1, trace.connected >= 0 ? "open" : "none"));
        try {
            afterDecision();
        } catch (RuntimeException e) {
            run.internalError("connection " + trace.record(-1, "").id() + " after its decision: " + PlainErrors.message(e));
            closeHow = closeHow == null ? "none" : closeHow;
            finishClose(); // settles it either way: the run ends, and fails with the error above
        }
    }

    /** Held (ok, connected, connected-unserved, with a hold) until the end or for the hold; else closed now. */
    private void afterDecision() {
        if (trace.connected < 0) {
            // never connected (a reset can beat the completion): nothing of ours to close politely
            closeHow = trace.outcome == Outcome.RESET ? "peer-rst" : "none";
            finishClose();
            return;
        }
        if (closeHow != null) {
            finishClose(); // the server closed or reset it: the outcome says so, the socket goes
            return;
        }
        boolean held = trace.outcome.probeSucceeded() || trace.outcome == Outcome.CONNECTED_UNSERVED;
        if (held && run.holdNanos < 0) {
            trace.to(ConnectionState.HELD);
            run.holdToEnd(this); // reads stay watched: a close or reset by the server ends the hold, recorded so
        } else if (held && run.holdNanos > 0) {
            timer = loop.schedule(this::closeOurs, run.holdNanos, TimeUnit.NANOSECONDS);
        } else {
            closeOurs();
        }
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    /** At the end of the run, for connections held until then (the server may have closed some already). */
    @Override
    public void closeAtEnd() {
        closeOurs();
    }

    /** Closes a connected socket on our side, per the close mode (SO_LINGER 0 was set at creation for RST). */
    private void closeOurs() {
        timer = null;
        if (trace.state() == ConnectionState.CLOSED) {
            return;
        }
        closeHow = run.rst ? "rst" : "fin";
        finishClose();
    }

    /** Closes the socket (if still open), reports the close with {@link #closeHow}, and settles the connection; once. */
    private void finishClose() {
        if (trace.state() == ConnectionState.CLOSED) {
            return;
        }
        boolean wasHeld = trace.state() == ConnectionState.HELD;
        cancelTimer();
        closeSocket();
        trace.to(ConnectionState.CLOSED);
        run.tellClosed(trace.record(run.now(), closeHow == null ? "none" : closeHow));
        run.closed(this, wasHeld); // exactly once: the state is CLOSED from here
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void closeSocket() {
        BareSockets.close(socket, registration);
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
