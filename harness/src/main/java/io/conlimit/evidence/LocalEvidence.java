package io.conlimit.evidence;

import io.conlimit.kernel.KernelInfo;
import io.conlimit.kernel.ListenQueueSampler;
import io.conlimit.kernel.ListenQueueSampler.Sample;
import io.conlimit.kernel.ListenQueues;
import io.conlimit.kernel.NetworkNamespace;
import io.conlimit.kernel.ProcNet;
import io.conlimit.kernel.ProcNetTcp;
import io.conlimit.kernel.TcpExtCounters;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server kernel's evidence read directly: the target runs on this machine, in our network namespace, or in
 * a namespace we control. Same clock as ours. The queue length and the counters come from /proc/net files (for a
 * namespace, its files opened once through a helper started with {@code ip netns exec NS}, see {@link ProcNet#in});
 * the queue maximum and the settings from ss and sysctl run through {@code ip netns exec NS}. When the namespace's
 * files cannot be opened, every reading runs a command there, as before.
 */
public final class LocalEvidence implements EvidenceSource {
    private final String description;
    private final List<String> prefix;
    private final TcpExtCounters counters;
    private final ListenQueueSampler sampler;
    private final ProcNet procNet;
    private final ListenQueues queues;

    private LocalEvidence(String description, List<String> prefix, ListenQueues queues, int port, String host,
                          double rateHz, long epochNanos, ProcNet procNet) {
        this.description = description;
        this.prefix = prefix;
        this.procNet = procNet;
        this.queues = queues.withPrefix(prefix);
        this.counters = procNet != null ? TcpExtCounters.from(procNet)
                : prefix.isEmpty() ? new TcpExtCounters() : TcpExtCounters.viaCommand(prefix);
        ListenQueueSampler.Builder b = ListenQueueSampler.builder(queues.withPrefix(prefix), port).host(host)
                .counters(counters).rateHz(rateHz).epochNanos(epochNanos);
        this.sampler = (procNet != null ? b.procNet(procNet) : b).build();
    }

    /**
     * The listener {@code host:port} in this process's namespace, sampled at {@code rateHz}, sample times relative
     * to {@code epochNanos} (our System.nanoTime() at the run's start).
     *
     * @throws IOException when iproute2's ss is missing (the queue cannot be read)
     */
    public static LocalEvidence here(int port, String host, double rateHz, long epochNanos) throws IOException {
        return new LocalEvidence("local", List.of(), requireSs(), port, host, rateHz, epochNanos, null);
    }

    /** The listener {@code host:port} inside namespace {@code ns}. */
    public static LocalEvidence in(NetworkNamespace ns, int port, String host, double rateHz, long epochNanos) throws IOException {
        ListenQueues ss = requireSs();
        ProcNet procNet;
        try {
            procNet = ProcNet.in(ns);
        } catch (IOException e) {
            procNet = null; // every reading runs ss / cat through ip netns exec; the sampler's queueSource() says why
        }
        return new LocalEvidence("namespace " + ns.name(), ns.exec(List.of()), ss, port, host, rateHz, epochNanos, procNet);
    }

    private static ListenQueues requireSs() throws IOException {
        return ListenQueues.find().orElseThrow(() -> new IOException(
                "iproute2's ss is not installed: the accept queue cannot be read (install iproute2)"));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void start() {
        sampler.start();
    }

    @Override
    public Map<String, Object> sysinfo() throws IOException {
        KernelInfo info = prefix.isEmpty() ? KernelInfo.collect() : KernelInfo.collect(prefix);
        Map<String, Object> m = new LinkedHashMap<>(info.toMap());
        m.put("syn_retry_schedule", info.synRetrySchedule().toMap());
        return m;
    }

    /**
     * The samples after {@code sinceNanosInOurEpoch}, taken out of the sampler's buffer: this process is the only
     * reader, and a run of hours must not keep them all (the soak, docs/benchmarks.md).
     */
    @Override
    public List<Sample> samples(long sinceNanosInOurEpoch) {
        return sampler.takeSince(sinceNanosInOurEpoch);
    }

    @Override
    public Map<String, Long> counters() throws IOException {
        return counters.readEvidence();
    }

    @Override
    public double rateHz() {
        return sampler.rateHz();
    }

    @Override
    public List<ProcNetTcp.Socket> sockets(int port) throws IOException {
        if (procNet != null) {
            return procNet.sockets(port);
        }
        if (!prefix.isEmpty()) {
            throw new UnsupportedOperationException("the namespace's /proc/net files could not be opened");
        }
        try (ProcNet own = ProcNet.own()) {
            return own.sockets(port);
        }
    }

    @Override
    public List<String> listenersOn(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (io.conlimit.kernel.ListenSocket l : queues.onPort(port)) {
            out.add(l.local());
        }
        return out;
    }

    /** The sampler itself (max seen over every sample, errors). */
    public ListenQueueSampler sampler() {
        return sampler;
    }

    @Override
    public void close() {
        sampler.stop();
        if (procNet != null) {
            procNet.close();
        }
    }
}
