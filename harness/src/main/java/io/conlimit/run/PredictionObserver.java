package io.conlimit.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.kernel.SynRetrySchedule;
import io.conlimit.kernel.Sysctls;
import io.conlimit.plan.TargetSpec;
import io.conlimit.target.BacklogReport;
import io.conlimit.target.ServerConfig;
import io.conlimit.theory.Comparison;
import io.conlimit.theory.Prediction;
import io.conlimit.theory.Predictor;
import io.conlimit.theory.ServiceModel;
import io.conlimit.theory.SynSchedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * After every run: the theory's prediction beside the measurement. Builds the {@link ServiceModel} from
 * what the kernel measured (the embedded server's effective backlog B read with {@code ss -lnt} after
 * listen(), never the request; for an external server B from the kernel-evidence section when there is one),
 * the client kernel's SYN retransmit times from its sysctls, and the burst's measured launch spread; then
 * {@link Comparison#annotate} puts {@code prediction} and {@code limit} into summary.json and the table and
 * the sentence naming the binding limit are printed.
 */
public final class PredictionObserver implements RunObserver {
    /** Where the evidence observer puts the listener's Send-Q (the effective backlog) in summary.json. */
    static final List<List<String>> EXTERNAL_BACKLOG_KEYS = List.of(List.of("kernel", "backlog_seen"));
    /** ... and the server namespace's somaxconn. */
    static final List<List<String>> EXTERNAL_SOMAXCONN_KEYS = List.of(
            List.of("kernel", "server_settings", "sysctls", "net.core.somaxconn"));

    private final SynRetrySchedule clientSchedule;
    private final String scheduleProblem;
    private final long clientOpenFiles;
    private Comparison comparison;
    private ObjectNode summary;
    private Path folder;
    private ServerConfig knownServer;

    /** Reads the client's SYN retry sysctls and open-file limit from this process's namespace. */
    public PredictionObserver() {
        SynRetrySchedule s = null;
        String problem = null;
        try {
            s = SynRetrySchedule.fromSysctls(new Sysctls());
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        this.clientSchedule = s;
        this.scheduleProblem = problem;
        this.clientOpenFiles = openFileLimit(Path.of("/proc/self/limits"));
    }

    /** With a given client SYN schedule (null when unknown) and open-file limit (-1 when unknown). */
    public PredictionObserver(SynRetrySchedule clientSchedule, long clientOpenFiles) {
        this.clientSchedule = clientSchedule;
        this.scheduleProblem = clientSchedule == null ? "not given" : null;
        this.clientOpenFiles = clientOpenFiles;
    }

    /**
     * The server behind an external target is known: a namespace lab's server ({@code target.lab.server.embedded}),
     * which the lab started and the client reaches as an external address. Its W, Q and hold then feed the theory,
     * with B and somaxconn from the server kernel's evidence. Null: unknown (the default).
     */
    public PredictionObserver knownServer(ServerConfig config) {
        this.knownServer = config;
        return this;
    }

    @Override
    public void annotate(ObjectNode summary, ObservedRun ctx) {
        Model m = model(summary, ctx, knownServer);
        Duration spread = launchSpread(summary);
        Prediction p = Predictor.predict(m.model(), ctx.plan(), theorySchedule(), clientOpenFiles, spread, serverKernel(summary, ctx));
        Comparison c = Comparison.of(p, summary);
        c.annotate(summary);
        ObjectNode pj = (ObjectNode) summary.get("prediction");
        ObjectNode model = (ObjectNode) pj.get("model");
        model.put("backlog_source", m.backlogSource());
        if (clientSchedule != null) {
            pj.set("client_syn_schedule", new ObjectMapper().valueToTree(clientSchedule.toMap()));
        } else {
            pj.put("client_syn_schedule", (String) null);
            ((com.fasterxml.jackson.databind.node.ArrayNode) pj.get("notes")).add("the client's SYN retry schedule is unknown (" + scheduleProblem + "): no retransmit clusters predicted");
        }
        ctx.out().println();
        ctx.out().println("prediction (" + m.model().describe() + ", B from " + m.backlogSource() + "):");
        ctx.out().print(c.table());
        for (String extra : new String[] {retryClusterNote(p, summary), Comparison.catchUpNote(p, summary)}) {
            if (extra != null) {
                ((com.fasterxml.jackson.databind.node.ArrayNode) pj.get("notes")).add(extra);
                ctx.out().println("  note: " + extra);
            }
        }
        this.comparison = c;
        this.summary = summary;
        this.folder = ctx.folder();
    }

    /**
     * When a burst's clients connected after SYN retransmits far more often than the server could have queued
     * them: what the kernel does (checked with nstat), so the reader is not left with a wrong theory.
     */
    static String retryClusterNote(Prediction p, JsonNode summary) {
        if (p.burst() == null || p.burst().timeouts() == 0) {
            return null;
        }
        Double ok = io.conlimit.theory.Comparison.handshakes(io.conlimit.theory.Comparison.phaseOf(p, summary));
        Double atOnce = number(summary, List.of("limit", "measured"));
        if (ok == null || atOnce == null) {
            return null;
        }
        long after = Math.round(ok - atOnce);
        long predicted = p.burst().admittedTotal() - p.burst().admittedAtOnce();
        if (after <= predicted + 5) {
            return null;
        }
        return after + " connected after SYN retransmits where the server could queue about " + predicted
                + ": retransmitted SYNs that arrive together while the accept queue has a free slot are all answered "
                + "(with SYN cookies once the SYN queue is full) and the final ACKs that then find the queue full are "
                + "dropped (tcp_abort_on_overflow = 0), so those clients believe they are connected although the server "
                + "has not queued them (see TcpExtListenOverflows, SyncookiesSent): the socket census (server_sockets) "
                + "counts them as phantoms or half-open, and a probe that waits for the server (banner, a protocol probe) "
                + "ends them connected-unserved, never ok";
    }

    /** The comparison of the observed run, once it has been annotated. */
    public Optional<Comparison> comparison() {
        return Optional.ofNullable(comparison);
    }

    /** The observed run's summary (with every observer's sections, since they share the node), once annotated. */
    public Optional<ObjectNode> summary() {
        return Optional.ofNullable(summary);
    }

    /** The observed run's results folder, once annotated. */
    public Optional<Path> folder() {
        return Optional.ofNullable(folder);
    }

    /**
     * The server kernel's SYN-cookie and abort-on-overflow settings: this namespace's for an embedded server (it
     * listens here), else those the kernel evidence read on the server's side; unknown otherwise.
     */
    static io.conlimit.theory.ServerKernel serverKernel(JsonNode summary, ObservedRun ctx) {
        if (ctx.server() != null && ctx.plan().target() instanceof TargetSpec.Embedded) {
            Sysctls local = new Sysctls();
            return new io.conlimit.theory.ServerKernel(local.readInt("net.ipv4.tcp_syncookies").orElse(-1),
                    local.readInt("net.ipv4.tcp_abort_on_overflow").orElse(-1));
        }
        Double cookies = number(summary, List.of("kernel", "server_settings", "sysctls", "net.ipv4.tcp_syncookies"));
        Double abort = number(summary, List.of("kernel", "server_settings", "sysctls", "net.ipv4.tcp_abort_on_overflow"));
        return new io.conlimit.theory.ServerKernel(cookies == null ? -1 : (int) Math.round(cookies),
                abort == null ? -1 : (int) Math.round(abort));
    }

    /** The theory's input, and where B came from. */
    record Model(ServiceModel model, String backlogSource) {
    }

    static Model model(JsonNode summary, ObservedRun ctx) {
        return model(summary, ctx, null);
    }

    static Model model(JsonNode summary, ObservedRun ctx, ServerConfig known) {
        if (ctx.server() != null && ctx.plan().target() instanceof TargetSpec.Embedded) {
            ServerConfig config = ctx.server().config();
            BacklogReport b = ctx.server().backlog();
            String source = b.effective() >= 0 ? "the kernel (" + b.effectiveSource() + ")" : "nowhere: " + b.effectiveSource();
            return new Model(ServiceModel.of(config, b.effective(), b.somaxconn()), source);
        }
        for (List<String> path : EXTERNAL_BACKLOG_KEYS) {
            Double v = number(summary, path);
            if (v != null && v >= 0) {
                Double somax = null;
                for (List<String> sp : EXTERNAL_SOMAXCONN_KEYS) {
                    somax = number(summary, sp);
                    if (somax != null) {
                        break;
                    }
                }
                int b = (int) Math.round(v);
                int sx = somax == null ? -1 : (int) Math.round(somax);
                String source = "the server kernel's evidence (summary " + String.join(".", path) + ")";
                if (known != null) {
                    return new Model(ServiceModel.of(known, b, sx), source + "; W, Q and hold from the lab's server");
                }
                return new Model(ServiceModel.external(b, sx), source);
            }
        }
        return new Model(ServiceModel.external(-1, -1), "nowhere: B is unknown for an external server without kernel evidence (run its agent)");
    }

    private SynSchedule theorySchedule() {
        if (clientSchedule == null) {
            return new SynSchedule(List.of());
        }
        return toTheory(clientSchedule);
    }

    /** The kernel's schedule as the theory's: the cumulative retransmit times. */
    public static SynSchedule toTheory(SynRetrySchedule s) {
        return new SynSchedule(s.retransmitMillis().stream().map(Duration::ofMillis).toList());
    }

    static Duration launchSpread(JsonNode summary) {
        Double ms = number(summary, List.of("launch_spread_ms"));
        return ms == null || ms < 0 ? Duration.ZERO : Duration.ofNanos(Math.round(ms * 1e6));
    }

    /** A number at a path, also when written as a string (sysctls are text); null when absent. */
    static Double number(JsonNode root, List<String> path) {
        JsonNode n = root;
        for (String k : path) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(k);
        }
        if (n == null) {
            return null;
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            try {
                return Double.parseDouble(n.asText().trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The soft "Max open files" of /proc/self/limits, -1 when unreadable, Long.MAX_VALUE when unlimited. */
    static long openFileLimit(Path limits) {
        return io.conlimit.kernel.KernelInfo.openFileLimits(limits)[0];
    }
}
