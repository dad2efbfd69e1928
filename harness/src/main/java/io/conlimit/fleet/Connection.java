package io.conlimit.fleet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * One client connection and its handler (the only one in its pipeline). Everything after creation runs on
 * its event loop. Timeouts are our own timers, so TCP_INFO can be read before the socket is closed.
 */
final class Connection extends ChannelInboundHandlerAdapter implements ChannelFutureListener, Attempt, HeldToEnd {
    private static final String HANDLER_NAME = "conlimit";

    private final RunContext run;
    private final PhaseStats phase;
    final EventLoop loop;
    private final ConnectionTrace trace;

    private Channel ch;
    private Throwable prepareFailure;
    private String closeHow;
    /** Hold probe: the probe keeps this connection open until the run ends (decided by {@link HeldCount}). */
    private boolean holdToEnd;
    /** Hold probe only (null otherwise): its place in the phase's held and served counts. */
    private final HeldCount heldCount;
    private ScheduledFuture<?> timer;
    /** Until when it waits for the connect() completion (its loop's {@link ConnectDeadlines} times it out then). */
    private long connectDeadline;
    private boolean deadlineExtended;
    /** Inside the connect() future's listener: closing now would make Netty fail that completed future again. */
    private boolean inConnectListener;
    private ReplyDecoder reply;

    Connection(RunContext run, PhaseStats phase, EventLoop loop, long id) {
        this.run = run;
        this.phase = phase;
        this.loop = loop;
        this.trace = new ConnectionTrace(run, phase, id, this, loop);
        this.heldCount = phase.holdProbe ? new HeldCount(phase) : null;
    }

    /**
     * Creates, registers and (with --source) binds the socket, on the event loop. The future completes
     * when it is ready to connect; a failure is kept and becomes this connection's outcome at connect time.
     */
    @Override
    public Future<Void> prepare() {
        Promise<Void> ready = loop.newPromise();
        try {
            ch = run.transport.newChannel(run.probe.writes());
        } catch (Throwable t) {
            prepareFailure = t;
            return ready.setSuccess(null);
        }
        ch.pipeline().addLast(HANDLER_NAME, this); // named: Netty need not build a name from the class per channel
        loop.register(ch).addListener((ChannelFutureListener) reg -> {
            if (!reg.isSuccess()) {
                prepareFailure = reg.cause();
                ready.setSuccess(null);
                return;
            }
            InetAddress source = run.nextSource();
            if (source == null) {
                ready.setSuccess(null);
                return;
            }
            ch.bind(new InetSocketAddress(source, 0)).addListener((ChannelFutureListener) b -> {
                if (!b.isSuccess()) {
                    prepareFailure = b.cause();
                }
                ready.setSuccess(null);
            });
        });
        return ready;
    }

    /** Open-loop start: prepare, then connect at once (late if preparing took long: counted, never re-timed). */
    @Override
    public void launch(long intendedNanos) {
        Future<Void> ready = prepare();
        if (ready.isDone()) {
            connectNow(intendedNanos);
            trace.reportStarted();
        } else {
            ready.addListener(f -> {
                connectNow(intendedNanos);
                trace.reportStarted();
            });
        }
    }

    /** Calls connect() now (on the event loop); returns the call time. Listener's started() comes from {@link #called()}. */
    @Override
    public long connectNow(long intendedNanos) {
        trace.calling(intendedNanos);
        if (prepareFailure != null) {
            decide(Classifier.onConnect(prepareFailure));
            return trace.call;
        }
        connectDeadline = trace.call + run.connectTimeoutNanos;
        trace.to(ConnectionState.CONNECTING);
        run.deadlines(loop).add(trace);
        ch.connect(run.remote).addListener(this);
        return trace.call;
    }

    @Override
    public long callNanos() {
        return trace.call;
    }

    @Override
    public void called() {
        trace.reportStarted();
    }

    /** The connect() future. */
    @Override
    public void operationComplete(ChannelFuture f) {
        inConnectListener = true;
        try {
            connectCompleted(f);
        } finally {
            inConnectListener = false;
        }
    }

    private void connectCompleted(ChannelFuture f) {
        if (trace.outcome != null) {
            return; // our timer decided already and closed the channel
        }
        trace.syn = Transport.totalRetrans(ch);
        trace.local = SourceAddresses.format(ch.localAddress());
        if (!f.isSuccess()) {
            decide(Classifier.onConnect(f.cause()));
            return;
        }
        trace.connectedNow();
        cancelTimer();
        if (heldCount != null) {
            heldCount.handshake();
            PhaseStats.DecisionHook hook = phase.hook;
            if (hook != null) {
                hook.handshake(this);
            }
        }
        if (run.probe.kind == ProbeSpec.Kind.CONNECT) {
            decide(Outcome.CONNECTED, "");
            return;
        }
        if (run.probe.writes()) {
            // a failed write (ECONNRESET, EPIPE) closes the channel without exceptionCaught: classify it here
            ch.writeAndFlush(Unpooled.wrappedBuffer(run.probe.payload)).addListener(WRITE_FAILURE);
        }
        armResponseTimer();
    }

    @Override
    public long connectDeadline() {
        return connectDeadline;
    }

    /**
     * From the loop's {@link ConnectDeadlines} sweep, at or after {@link #connectDeadline()}. Returns false when
     * it is not a timeout yet: the kernel already completed the handshake (TCP_INFO state ESTABLISHED or CLOSE_WAIT) and only
     * this overloaded loop has not processed the completion; the deadline is then extended once by the connect
     * timeout (the connection is decided when its completion is processed, its connect time counting as usual).
     */
    @Override
    public boolean connectTimedOut() {
        if (trace.outcome != null || trace.connected >= 0) {
            return true;
        }
        if (!deadlineExtended && Transport.handshakeDone(ch)) {
            deadlineExtended = true;
            connectDeadline = run.now() + run.connectTimeoutNanos;
            return false;
        }
        trace.syn = Transport.totalRetrans(ch);
        trace.local = SourceAddresses.format(ch.localAddress());
        decide(Outcome.CONNECT_TIMEOUT, "no SYN-ACK within " + run.connectTimeoutNanos / 1_000_000 + "ms");
        return true;
    }

    private void armResponseTimer() {
        timer = loop.schedule(this::responseTimedOut, run.responseTimeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void responseTimedOut() {
        if (trace.outcome == null) {
            decide(Outcome.CONNECTED_UNSERVED, "no answer within " + run.responseTimeoutNanos / 1_000_000 + "ms");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf buf && buf.isReadable()) {
                if (trace.firstByte < 0) {
                    trace.firstByte = run.now();
                }
                if (trace.outcome == null && trace.connected >= 0) {
                    answer(buf);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void answer(ByteBuf buf) {
        if (reply == null) {
            reply = run.probe.newDecoder();
        }
        Classifier.Verdict v = reply.feed(buf);
        if (v != null) {
            decide(v);
        }
    }

    /** Routes a failed probe write to {@link #exceptionCaught}, so a reset is recorded as reset (one shared listener). */
    private static final ChannelFutureListener WRITE_FAILURE = f -> {
        if (!f.isSuccess()) {
            f.channel().pipeline().fireExceptionCaught(f.cause());
        }
    };

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        boolean reset = Classifier.isReset(cause);
        if (closeHow == null) {
            closeHow = reset ? "peer-rst" : run.rst ? "rst" : "fin";
        }
        ch.close();
        if (trace.outcome == null) {
            decide(Classifier.afterConnect(cause));
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (closeHow == null) {
            closeHow = "peer-fin";
        }
        if (trace.outcome == null) {
            if (closeHow.equals("peer-rst")) {
                decide(Outcome.RESET, "");
            } else {
                decide(Outcome.APP_REFUSED, "closed by the server before answering");
            }
        }
        finish();
    }

    private void decide(Classifier.Verdict v) {
        decide(v.outcome(), v.detail());
    }

    private void decide(Outcome o, String d) {
        if (!trace.decide(o, d)) {
            return;
        }
        cancelTimer();
        trace.reportStarted();
        if (heldCount != null && heldCount.decided(o)) {
            holdToEnd = true;
        }
        run.tellDecided(trace.record(-1, trace.connected >= 0 ? "open" : "none"));
        PhaseStats.DecisionHook hook = phase.hook;
        if (hook != null) {
            hook.decided(this, o);
        }
        afterDecision();
    }

    /** Hold probe: whether this connection is held now (handshake completed, open, not refused by the application). */
    boolean heldNow() {
        return heldCount != null && heldCount.held();
    }

    private void afterDecision() {
        if (trace.connected < 0) {
            // A reset can beat the connect completion (RST right after the server's accept): never seen connected.
            closeHow = trace.outcome == Outcome.RESET ? "peer-rst" : "none";
            if (ch != null) {
                if (ch.isRegistered()) {
                    closeChannel();
                } else {
                    ch.unsafe().closeForcibly(); // registration failed: just release the descriptor
                }
            }
            finish();
            return;
        }
        if (!ch.isActive()) {
            return; // closing already: channelInactive finishes it
        }
        // held: ok, or connected-unserved (except in the hold probe, which holds only what it counts)
        boolean held = trace.outcome.probeSucceeded() || trace.outcome == Outcome.CONNECTED_UNSERVED;
        if (held && (holdToEnd || run.holdNanos < 0)) {
            trace.to(ConnectionState.HELD);
            run.holdToEnd(this);
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

    /** At the end of the run, for connections held until then. */
    @Override
    public void closeAtEnd() {
        closeOurs();
    }

    private void closeOurs() {
        if (closeHow != null || trace.state() == ConnectionState.CLOSED) {
            return;
        }
        if (!ch.isActive()) {
            return;
        }
        closeHow = run.rst ? "rst" : "fin";
        if (run.rst) {
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
        }
        closeChannel();
    }

    /**
     * Closes the channel, from the connect() listener only once the listener has returned: Netty clears its
     * pending connect future after notifying it, and a close before that fails the completed future again
     * with a new ClosedChannelException whose stack trace cost more than the rest of the connection's Java
     * work (profiled). The decision and its time are already taken; the close follows within the same loop turn.
     */
    private void closeChannel() {
        if (inConnectListener) {
            loop.execute(this::closeNow);
        } else {
            ch.close();
        }
    }

    private void closeNow() {
        ch.close();
    }

    private void finish() {
        if (trace.state() == ConnectionState.CLOSED) {
            return;
        }
        boolean wasHeld = trace.state() == ConnectionState.HELD;
        trace.to(ConnectionState.CLOSED);
        cancelTimer();
        if (heldCount != null) {
            heldCount.release();
        }
        run.tellClosed(trace.record(run.now(), closeHow == null ? "none" : closeHow));
        run.closed(this, wasHeld);
    }

    private void cancelTimer() {
        run.deadlines(loop).remove(trace);
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

}
