package io.conlimit.evidence;

import io.conlimit.kernel.ListenQueueSampler.Sample;
import io.conlimit.kernel.ProcNetTcp;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the server kernel's evidence comes from: this machine / a namespace we control ({@link LocalEvidence})
 * or a conlimit agent on the server's machine ({@link AgentClient}). Sample times are always in OUR clock:
 * System.nanoTime() minus the run's epoch.
 */
public interface EvidenceSource extends AutoCloseable {
    /** "local", "namespace NAME" or "agent host:port": written to summary.json as the source. */
    String describe();

    /** Starts sampling the target listener (and, for an agent, aligns the clocks). */
    void start() throws IOException;

    /** The server side's decisive settings: kernel_version, sysctls, open_files_limit, syn_retry_schedule. */
    Map<String, Object> sysinfo() throws IOException;

    /** Samples taken after {@code sinceNanosInOurEpoch} (exclusive), oldest first, times in our epoch. */
    List<Sample> samples(long sinceNanosInOurEpoch) throws IOException;

    /** The server namespace's LISTEN_EVIDENCE TcpExt counters now (cumulative). */
    Map<String, Long> counters() throws IOException;

    /**
     * The server namespace's socket table now, rows with {@code port} at either end (for the end-of-load census,
     * {@link SocketCensus}).
     *
     * @throws UnsupportedOperationException when this source cannot list sockets (saying why)
     */
    default List<ProcNetTcp.Socket> sockets(int port) throws IOException {
        throw new UnsupportedOperationException(describe() + " does not list the server's sockets");
    }

    /**
     * The local addresses ({@code 127.0.0.1:8080}, {@code [::]:8080}) of every listener on {@code port} in the server's
     * namespace now: what listens there when the target's address matched none.
     */
    default List<String> listenersOn(int port) throws IOException {
        throw new UnsupportedOperationException(describe() + " does not list the server's listeners");
    }

    /** The sampling rate in Hz. */
    double rateHz();

    /** How the agent's clock maps to ours; empty for a local source (same clock). */
    default Optional<ClockAlignment> clock() {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
