package io.conlimit.fleet;

import io.conlimit.plan.ClientOptions;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The state of one fleet run shared by its connections: options, listener, epoch and the settle counters. */
final class RunContext {
    final Transport transport;
    final InetSocketAddress remote;
    final FleetListener listener;
    final long epochNanos;
    final long connectTimeoutNanos;
    final long responseTimeoutNanos;
    /** -1: hold until the run ends. */
    final long holdNanos;
    final boolean rst;
    final ProbeSpec probe;
    /** Whether connections that need no channel run on bare sockets ({@link DirectConnect}). */
    final boolean direct;
    private final List<InetAddress> sources;
    private final AtomicLong sourceCursor = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();
    /** Connections created and not yet settled (closed, or decided and held until the end). */
    final Gauge unsettled = new Gauge();
    /** Connections held until the run ends and still open. */
    final Gauge heldToEnd = new Gauge();
    final Set<HeldToEnd> heldSet = ConcurrentHashMap.newKeySet();
    /** Each event loop's connect timeouts (built once, read-only afterwards). */
    private final Map<EventLoop, ConnectDeadlines> deadlines = new IdentityHashMap<>();

    /** The first internal inconsistency (a connection touched off its loop, a state move not allowed): the run fails. */
    final java.util.concurrent.atomic.AtomicReference<String> internalError = new java.util.concurrent.atomic.AtomicReference<>();

    /** Holds the first phase's release until a common start instant (a fleet's shards); runs once. */
    private Runnable startGate = () -> { };
    private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

    /** Whether a start gate was given (a fleet's shard, or --start-at), not the no-op default. */
    private boolean hasGate;
    /** Whether the thread that passed the gate gave up its CPU after its first connect() yet; that thread only. */
    private boolean yielded;

    /** Set before the phases run: {@code gate} blocks until the common start; {@code given} false for the no-op default. */
    void startGate(Runnable gate, boolean given) {
        this.startGate = gate;
        this.hasGate = given;
    }

    /** The first time: waits at the start gate (the load's first release); afterwards returns at once. */
    void releaseOnce() {
        if (released.compareAndSet(false, true)) {
            startGate.run();
        }
    }

    /**
     * On the thread that passed the start gate, right after its first connect() call: when a gate was set (a
     * fleet's shards), gives up the CPU once. Shards sharing a machine are released at the same instant; without
     * this, the ones that got a CPU first kept it for their whole first share while the others' first connect()
     * waited in the run queue (milliseconds of start spread on 2 cores with 4 shards). Costs one sched_yield.
     */
    void firstCallMade() {
        if (hasGate && !yielded) {
            yielded = true;
            Thread.yield();
        }
    }

    /** The first exception a listener threw: the records are incomplete, the run must say so. */
    final java.util.concurrent.atomic.AtomicReference<RuntimeException> listenerFailure = new java.util.concurrent.atomic.AtomicReference<>();

    RunContext(Transport transport, InetSocketAddress remote, ClientOptions client, FleetListener listener,
               long epochNanos, boolean directSockets) {
        this(transport, remote, client, listener, epochNanos, directSockets, false);
    }

    /** @param holdProbe whether a phase is a hold probe (its connections are held: http asks for keep-alive) */
    RunContext(Transport transport, InetSocketAddress remote, ClientOptions client, FleetListener listener,
               long epochNanos, boolean directSockets, boolean holdProbe) {
        this.transport = transport;
        this.remote = remote;
        this.listener = listener;
        this.epochNanos = epochNanos;
        this.connectTimeoutNanos = client.connectTimeout().toNanos();
        this.responseTimeoutNanos = client.responseTimeout().toNanos();
        this.holdNanos = client.holdUntilEnd() ? -1 : client.hold().toNanos();
        this.rst = client.closeMode() == ClientOptions.CloseMode.RST;
        this.probe = ProbeSpec.of(client.probe(), remote.getHostString(), holdProbe || holdNanos != 0);
        this.sources = client.sources();
        this.direct = direct(transport, client, directSockets);
        for (EventLoop loop : transport.loops()) {
            deadlines.put(loop, new ConnectDeadlines(loop, this));
        }
    }

    /**
     * Whether a run with these options connects on bare sockets: allowed ({@code directSockets}), the epoll
     * transport, a probe that writes nothing and needs no decoder beyond its first bytes (connect, banner), any
     * hold. The hold probe's phases keep Netty channels ({@link #newConnection}).
     */
    static boolean direct(Transport transport, ClientOptions client, boolean directSockets) {
        return directSockets && transport.epoll() && (client.probe() instanceof io.conlimit.plan.Probe.Connect
                || client.probe() instanceof io.conlimit.plan.Probe.Banner);
    }

    /** The connect timeouts of {@code loop} (call on that loop). */
    ConnectDeadlines deadlines(EventLoop loop) {
        return deadlines.get(loop);
    }

    /** Lets the listener prepare the calling thread before a phase (see {@link FleetListener#prepareThread}). */
    void prepareThread() {
        try {
            listener.prepareThread();
        } catch (RuntimeException e) {
            listenerFailure.compareAndSet(null, e);
        }
    }

    /** Tells the listener a connection started; a listener that throws fails the run at its end, not now. */
    void tellStarted(int phase, long intendedNanos, long callNanos) {
        try {
            listener.started(phase, intendedNanos, callNanos);
        } catch (RuntimeException e) {
            listenerFailure.compareAndSet(null, e);
        }
    }

    /** Tells the listener a connection was decided (see {@link #tellStarted}). */
    void tellDecided(ConnectionRecord record) {
        try {
            listener.decided(record);
        } catch (RuntimeException e) {
            listenerFailure.compareAndSet(null, e);
        }
    }

    /** Tells the listener a connection closed (see {@link #tellStarted}). */
    void tellClosed(ConnectionRecord record) {
        try {
            listener.closed(record);
        } catch (RuntimeException e) {
            listenerFailure.compareAndSet(null, e);
        }
    }

    /** Keeps the first internal error; the run fails with it at its end (never in the middle of an event loop's work). */
    void internalError(String what) {
        internalError.compareAndSet(null, what);
    }

    long now() {
        return System.nanoTime() - epochNanos;
    }

    /** The next source address round-robin, or null when the kernel picks. */
    InetAddress nextSource() {
        if (sources.isEmpty()) {
            return null;
        }
        return sources.get((int) (sourceCursor.getAndIncrement() % sources.size()));
    }

    /**
     * A new connection of {@code phase} on {@code loop}: a {@link DirectConnect} (bare socket) when the probe is
     * connect or banner and the transport epoll ({@link #direct}), outside a hold probe; else a {@link Connection}
     * (Netty channel).
     */
    Attempt newConnection(EventLoop loop, PhaseStats phase) {
        if (direct && !phase.holdProbe) {
            unsettled.increment();
            return new DirectConnect(this, phase, (IoEventLoop) loop, ids.getAndIncrement());
        }
        return newChannelConnection(loop, phase);
    }

    /** A new connection on a Netty channel (every probe, holds, the hold probe). */
    Connection newChannelConnection(EventLoop loop, PhaseStats phase) {
        unsettled.increment();
        return new Connection(this, phase, loop, ids.getAndIncrement());
    }

    /** A connection that was never held until the end is closed. */
    void settled() {
        unsettled.decrement();
    }

    /** A decided connection stays open until the end: it no longer holds up the run. */
    void holdToEnd(HeldToEnd c) {
        heldSet.add(c);
        heldToEnd.increment();
        unsettled.decrement();
    }

    void closed(HeldToEnd c, boolean wasHeldToEnd) {
        if (wasHeldToEnd) {
            heldSet.remove(c);
            heldToEnd.decrement();
        } else {
            unsettled.decrement();
        }
    }
}
