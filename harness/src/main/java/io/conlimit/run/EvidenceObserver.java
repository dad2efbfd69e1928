package io.conlimit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.evidence.AgentClient;
import io.conlimit.evidence.EvidenceSession;
import io.conlimit.evidence.EvidenceSource;
import io.conlimit.evidence.KernelEvidenceSummary;
import io.conlimit.evidence.LocalEvidence;
import io.conlimit.evidence.SocketCensus;
import io.conlimit.kernel.ListenQueueSampler.Sample;
import io.conlimit.kernel.LowPriority;
import io.conlimit.kernel.NetworkNamespace;
import io.conlimit.results.ResultsLayout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Puts the server kernel's evidence beside a run (docs/kernel-evidence.md): before the load it picks the source
 * ({@link EvidenceSourceChoice}: {@code --agent}, else this machine's kernel when the target is local, else none)
 * and starts an {@link EvidenceSession}; during the run it appends every sample to kernel-timeline.csv (once a
 * second); after the run it adds "kernel" and "consistency" to summary.json and prints a short block.
 * <p>
 * A failure of the automatic local source (e.g. ss missing) is a warning and the run goes on; an agent named
 * with {@code --agent} that cannot be reached (or refuses the token) stops the run before the load.
 */
public final class EvidenceObserver implements RunObserver {
    /** Sampling rate of the local source (the agent samples at its own {@code --rate}). */
    public static final double RATE_HZ = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String agent;
    private final String agentToken;
    private final String serverNetns;
    private final double rateHz;
    private final Duration flushPeriod;
    private final Predicate<InetAddress> isLocal;

    private EvidenceSourceChoice choice;
    private String listener;
    private String notObservedReason;
    private EvidenceSession session;
    private KernelTimelineWriter timeline;
    /** Samples polled but not yet in the timeline (only after a failed write: they go with the next one). */
    private final UnwrittenSamples unwritten = new UnwrittenSamples();
    private ScheduledExecutorService poller;
    private long pollErrors;
    private String lastPollError;
    /** summary.json's server_sockets, taken at the end of the load (null before). */
    private Map<String, Object> census;

    /**
     * @param agent      {@code HOST:PORT} of a conlimit agent on the server's machine, or null (automatic)
     * @param agentToken the agent's {@code --token}, or null
     * @throws IllegalArgumentException naming {@code --agent} when it is not HOST:PORT
     */
    public EvidenceObserver(String agent, String agentToken) {
        this(agent, agentToken, null);
    }

    /**
     * @param serverNetns the network namespace of this machine the server runs in ({@code --server-netns}, e.g. a
     *                    lab's server namespace): its kernel is read through {@code ip netns exec}; null: automatic
     * @throws IllegalArgumentException naming the flag when the combination is wrong
     */
    public EvidenceObserver(String agent, String agentToken, String serverNetns) {
        this(agent, agentToken, serverNetns, RATE_HZ, Duration.ofSeconds(1), EvidenceSourceChoice::isLocalAddress);
    }

    EvidenceObserver(String agent, String agentToken, double rateHz, Duration flushPeriod, Predicate<InetAddress> isLocal) {
        this(agent, agentToken, null, rateHz, flushPeriod, isLocal);
    }

    EvidenceObserver(String agent, String agentToken, String serverNetns, double rateHz, Duration flushPeriod,
                     Predicate<InetAddress> isLocal) {
        if (agent != null && serverNetns != null) {
            throw new IllegalArgumentException("--server-netns contradicts --agent: give one source of the server's kernel");
        }
        if (serverNetns != null && !serverNetns.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("--server-netns: not a network namespace name: '" + serverNetns + "'");
        }
        if (agent != null) {
            AgentClient.builder(agent); // validates HOST:PORT, message names --agent
        }
        if (agentToken != null && agent == null) {
            throw new IllegalArgumentException("--agent-token needs --agent HOST:PORT");
        }
        this.agent = agent;
        this.agentToken = agentToken;
        this.serverNetns = serverNetns;
        this.rateHz = rateHz;
        this.flushPeriod = flushPeriod;
        this.isLocal = isLocal;
    }

    /** The source chosen in {@link #beforeLoad}, null before. */
    public EvidenceSourceChoice choice() {
        return choice;
    }

    /** A missing --server-netns namespace is a configuration error; an agent that cannot be reached, or refuses the token, stops the run before it starts. */
    @Override
    public void preflight(io.conlimit.plan.RunPlan plan, InetSocketAddress target, boolean embedded) throws IOException {
        if (serverNetns != null) {
            try {
                NetworkNamespace.existing(serverNetns);
            } catch (IOException e) {
                throw new IllegalArgumentException("--server-netns " + serverNetns + ": " + e.getMessage());
            }
        }
        if (agent != null) {
            var r = AgentClient.builder(agent).token(agentToken).build().send("/clock");
            if (r.statusCode() == 401) {
                throw new IllegalArgumentException("--agent " + agent + " refused the token ("
                        + (agentToken == null ? "none given: --agent-token T or CONLIMIT_AGENT_TOKEN" : "--agent-token or CONLIMIT_AGENT_TOKEN is not the agent's --token") + ")");
            }
            if (r.statusCode() != 200) {
                throw new IOException("--agent " + agent + " answered /clock with HTTP " + r.statusCode() + ": " + r.body().trim());
            }
        }
    }

    @Override
    public void beforeLoad(ObservedRun ctx) throws IOException {
        InetSocketAddress address = ctx.address();
        InetAddress target = address.getAddress();
        String host = target.getHostAddress();
        listener = (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
        choice = EvidenceSourceChoice.choose(agent, serverNetns, ctx.server() != null, target, isLocal);
        if (choice.kind() == EvidenceSourceChoice.Kind.NONE) {
            notObservedReason = choice.reason();
            ctx.err().println("server kernel: not observed: " + choice.reason());
            return;
        }
        EvidenceSource source;
        try {
            source = choice.kind() == EvidenceSourceChoice.Kind.AGENT
                    ? AgentClient.builder(agent).token(agentToken).listener(address.getPort(), host)
                        .epochNanos(ctx.epochNanos()).build()
                    : choice.kind() == EvidenceSourceChoice.Kind.NAMESPACE
                    ? LocalEvidence.in(NetworkNamespace.existing(serverNetns), address.getPort(), host, rateHz, ctx.epochNanos())
                    : LocalEvidence.here(address.getPort(), host, rateHz, ctx.epochNanos());
            session = startSession(source);
        } catch (IOException e) {
            if (choice.kind() == EvidenceSourceChoice.Kind.NAMESPACE) {
                throw new IOException("--server-netns " + serverNetns + ": " + e.getMessage(), e);
            }
            if (choice.kind() == EvidenceSourceChoice.Kind.AGENT) {
                throw new IOException("--agent " + agent + ": " + e.getMessage(), e);
            }
            notObservedReason = "the local kernel could not be read: " + e.getMessage();
            ctx.err().println("server kernel: not observed: " + notObservedReason);
            return;
        }
        session.source().clock().ifPresent(c -> ctx.out().println("server kernel: " + session.source().describe()
                + ", " + KernelSection.clockLine(c)));
        timeline = new KernelTimelineWriter(ctx.folder().resolve(ResultsLayout.KERNEL_TIMELINE_CSV),
                session.countersAtStart());
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(LowPriority.lowered(r), "conlimit-kernel-evidence"); // nice 19: CPU the loops leave idle
            t.setDaemon(true);
            return t;
        });
        long period = flushPeriod.toNanos();
        poller.scheduleWithFixedDelay(this::pollQuietly, period, period, TimeUnit.NANOSECONDS);
    }

    private static EvidenceSession startSession(EvidenceSource source) throws IOException {
        try {
            return EvidenceSession.start(source, -1); // from the run's epoch on: an agent still holds earlier runs' samples
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
    }

    private void pollQuietly() {
        try {
            List<Sample> fresh = session.poll();
            synchronized (this) {
                writeTimeline(fresh);
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                pollErrors++;
                lastPollError = e.getMessage();
            }
        }
    }

    /** Appends the samples (after any a failed write left) to kernel-timeline.csv; the caller holds this lock. */
    private void writeTimeline(List<Sample> fresh) throws IOException {
        unwritten.add(fresh);
        if (!unwritten.waiting().isEmpty()) {
            timeline.append(unwritten.waiting());
            unwritten.written();
        }
    }

    /** The socket census (docs/results.md#server_sockets): both sides' tables while the held connections are open. */
    @Override
    public void endOfLoad(ObservedRun ctx) {
        census = session == null ? SocketCensus.notTaken("the server's kernel is not observed")
                : CensusTaker.take(session, ctx.address(), ctx.epochNanos(), ownTarget(ctx));
    }

    /** Whether the target is conlimit's own embedded server (which never sets TCP_DEFER_ACCEPT). */
    private static boolean ownTarget(ObservedRun ctx) {
        return ctx.server() != null && ctx.plan().target() instanceof io.conlimit.plan.TargetSpec.Embedded;
    }

    @Override
    public void annotate(ObjectNode summary, ObservedRun ctx) throws IOException {
        stopPoller();
        summary.set("server_sockets", JSON.valueToTree(census != null ? census
                : SocketCensus.notTaken("the run ended before the end of its load")));
        if (session == null) {
            String source = choice == null ? "none" : choice.kind() == EvidenceSourceChoice.Kind.LOCAL ? "local" : "none";
            summary.set("kernel", JSON.valueToTree(KernelSection.notObserved(source, listener, notObservedReason)));
            summary.putNull("consistency");
            ctx.out().println();
            ctx.out().println("Server kernel: not observed (" + notObservedReason + ")");
            return;
        }
        KernelEvidenceSummary k;
        try {
            k = session.finish(KernelSection.clientView(summary), last -> {
                synchronized (this) {
                    unwritten.add(last);
                }
            });
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                timeline.close();
            }
            String why = "the evidence could not be read at the end of the run: " + e.getMessage();
            summary.set("kernel", JSON.valueToTree(KernelSection.notObserved(session.source().describe(), listener, why)));
            summary.putNull("consistency");
            ctx.err().println("server kernel: " + why);
            return;
        }
        synchronized (this) {
            try {
                writeTimeline(List.of());
            } finally {
                timeline.close();
            }
        }
        summary.set("kernel", JSON.valueToTree(KernelSection.observed(k, listener, timeline.rows(), pollErrors, lastPollError)));
        summary.set("consistency", k.consistency().<JsonNode>map(v -> JSON.valueToTree(v.toJson())).orElse(null));
        KernelSection.print(ctx.out(), k, listener);
        KernelSection.printCensus(ctx.out(), summary.path("server_sockets"));
        warnAboutTheListener(summary, ctx, k);
        if (pollErrors > 0) {
            ctx.err().println("server kernel: " + pollErrors + " polls of " + k.source() + " failed during the run"
                    + " (last: " + lastPollError + "); a failed poll's samples come with the next one that succeeds, as long as"
                    + " the source still buffers them");
        }
        if (unwritten.dropped() > 0) {
            ctx.err().println("server kernel: " + unwritten.dropped() + " samples were never written to "
                    + ResultsLayout.KERNEL_TIMELINE_CSV + ": its writes kept failing (last: " + lastPollError + ")");
        }
    }

    /**
     * Says when nothing listened on the target's address (and what listens on its port instead), and when a server
     * that conlimit did not start has a backlog below its namespace's somaxconn: printed and added to "warnings".
     */
    private void warnAboutTheListener(ObjectNode summary, ObservedRun ctx, KernelEvidenceSummary k) {
        java.util.List<String> warnings = new java.util.ArrayList<>();
        if (k.backlogSeen() < 0) {
            int port = ctx.address().getPort();
            List<String> onPort;
            try {
                onPort = session.source().listenersOn(port);
            } catch (IOException | RuntimeException e) {
                onPort = null;
            }
            ListenerWarnings.noListener(listener, k.samples(), port, onPort).ifPresent(warnings::add);
        } else if (ctx.server() == null && choice.kind() != EvidenceSourceChoice.Kind.NAMESPACE) {
            ListenerWarnings.backlogBelowSomaxconn(k.backlogSeen(), k.serverSettings()).ifPresent(warnings::add);
        }
        for (String w : warnings) {
            ctx.err().println("conlimit run: WARNING: " + w);
            ListenerWarnings.record(summary, w);
        }
    }

    private void stopPoller() {
        ScheduledExecutorService p = poller;
        poller = null;
        if (p != null) {
            p.shutdown();
            try {
                if (!p.awaitTermination(30, TimeUnit.SECONDS)) {
                    p.shutdownNow();
                }
            } catch (InterruptedException e) {
                p.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stopPoller();
        if (session != null) {
            session.close();
        }
        synchronized (this) {
            if (timeline != null) {
                try {
                    timeline.close();
                } catch (IOException e) {
                    // already reported through the summary, or the run was aborted
                }
            }
        }
    }
}
