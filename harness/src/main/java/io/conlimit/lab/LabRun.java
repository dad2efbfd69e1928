package io.conlimit.lab;

import io.conlimit.target.servers.StartLine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.results.ResultsLayout;
import io.conlimit.target.ServerConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One {@code conlimit run} with the namespace lab as its target: two simulated machines on this host.
 * <ol>
 *   <li>creates the {@link LabNetwork} (server and client namespaces, veth pair, sysctls);</li>
 *   <li>starts the target server in the server namespace, bound to {@link LabNetwork#serverAddress()} port
 *       {@value #SERVER_PORT}, and waits for its start line;</li>
 *   <li>re-executes {@code conlimit run --target SERVER:8080 --out DIR --server-netns SRVNS <run args>} in the
 *       client namespace (a JVM cannot change namespace), forwarding its output; the child reads the server
 *       namespace's kernel itself ({@code --server-netns});</li>
 *   <li>stops the server (it prints its final statistics), writes its output to {@value #SERVER_LOG} and a
 *       {@code "lab"} section into the child's summary.json, and removes the lab, also on Ctrl-C.</li>
 * </ol>
 * Immutable; built with {@link #builder()}.
 */
public final class LabRun {
    /** The port the lab's target server listens on. */
    public static final int SERVER_PORT = 8080;
    /** The server's output, in the results folder. */
    public static final String SERVER_LOG = "lab-server.log";
    /** Flags of {@code conlimit run} the lab sets itself. */
    static final Set<String> LAB_FLAGS = Set.of("--target", "--out", "--results", "--server-netns", "--agent",
            "--agent-token", "--no-kernel-evidence");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final LabSpec spec;
    private final List<String> serveArgs;
    private final List<String> runArgs;
    private final Path scenarioFile;
    private final Path outDir;
    private final PrintStream out;
    private final PrintStream err;
    private final Duration startTimeout;
    private final Duration runTimeout;

    private LabRun(Builder b) {
        this.spec = Objects.requireNonNull(b.spec, "lab spec");
        if (b.serveArgs == null || b.serveArgs.isEmpty()) {
            throw new IllegalArgumentException("the lab needs a target server (its kind and options)");
        }
        this.serveArgs = List.copyOf(b.serveArgs);
        this.runArgs = checkedRunArgs(b.runArgs);
        this.scenarioFile = b.scenarioFile == null ? null : b.scenarioFile.toAbsolutePath().normalize();
        this.outDir = Objects.requireNonNull(b.outDir, "results folder").toAbsolutePath().normalize();
        this.out = b.out;
        this.err = b.err;
        this.startTimeout = b.startTimeout;
        this.runTimeout = b.runTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What the run produced.
     *
     * @param exitCode        the client's {@code conlimit run} exit code (3 when it did not finish in time)
     * @param serverStartLine the target server's {@code serving ...} line
     * @param folder          the results folder
     * @param labSection      what was added to summary.json as {@code "lab"}
     */
    public record Result(int exitCode, String serverStartLine, Path folder, Map<String, Object> labSection) {
        /** The start line's {@code key=value} words (backlog.effective, somaxconn, ...). */
        public Map<String, String> serverStart() {
            return StartLine.parse(serverStartLine);
        }
    }

    /** The serve arguments the server gets, address and port included. */
    public List<String> serverCommandArgs(String bind) {
        List<String> a = new ArrayList<>(List.of("serve"));
        a.addAll(serveArgs);
        a.addAll(List.of("--bind", bind, "--port", Integer.toString(SERVER_PORT)));
        return a;
    }

    /** The {@code conlimit run} arguments the client namespace gets. */
    public List<String> clientCommandArgs(String serverAddress, String serverNamespace) {
        List<String> a = new ArrayList<>(List.of("run"));
        if (scenarioFile != null) {
            a.add(scenarioFile.toString());
        }
        a.addAll(List.of("--target", serverAddress + ":" + SERVER_PORT, "--out", outDir.toString(),
                "--server-netns", serverNamespace));
        if (scenarioFile == null && runArgs.stream().noneMatch(s -> s.equals("--probe") || s.startsWith("--probe="))) {
            // the lab serves one of conlimit's own targets, which greet: check the greeting, so ok counts served connections
            a.addAll(List.of("--probe", "banner"));
        }
        a.addAll(runArgs);
        return a;
    }

    /**
     * Creates the lab, runs, removes the lab.
     *
     * @throws IOException              when the lab cannot be created or the server does not start (message names
     *                                  the step, with the server's last output)
     * @throws IllegalArgumentException when the results folder already holds a run (nothing is created then)
     */
    public Result run() throws IOException {
        if (Files.exists(outDir.resolve(ResultsLayout.RUN_JSON))) {
            throw new IllegalArgumentException("--out " + outDir + " already holds a run (run.json): "
                    + "conlimit never overwrites a results folder; choose another folder");
        }
        try (LabNetwork lab = LabNetwork.create(spec)) {
            err.println("lab: " + lab + " server.sysctls=" + spec.serverSysctls() + " client.sysctls=" + spec.clientSysctls());
            LabProcess server = lab.startInServer("target server",
                    LabProcesses.targetServerCommand(serverCommandArgs(lab.serverAddress())), line -> out.println("[server] " + line));
            String start = server.awaitLine(LabProcesses.TARGET_START_LINE, startTimeout);
            LabProcess client = lab.startInClient("conlimit run",
                    LabProcesses.conlimitCommand(clientCommandArgs(lab.serverAddress(), lab.server().name())), out::println);
            int code = client.waitFor(runTimeout);
            if (code < 0) {
                err.println("lab: the client run did not finish within " + runTimeout.toSeconds() + " s: stopping it");
                client.close();
                code = 3;
            }
            server.close(); // SIGTERM: the server prints its final statistics
            Map<String, Object> section = labSection(lab, start);
            writeServerLog(server.lines());
            addToSummary(section);
            return new Result(code, start, outDir, section);
        }
    }

    private Map<String, Object> labSection(LabNetwork lab, String start) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "netns");
        m.put("run_id", lab.runId());
        m.put("server_namespace", lab.server().name());
        m.put("client_namespace", lab.client().name());
        m.put("server_address", lab.serverAddress());
        m.put("client_address", lab.clientAddress());
        m.put("server_sysctls", spec.serverSysctls());
        m.put("client_sysctls", spec.clientSysctls());
        m.put("server_command", serverCommandArgs(lab.serverAddress()));
        m.put("server_start_line", start);
        Map<String, String> kv = StartLine.parse(start);
        m.put("backlog_effective", number(kv.get("backlog.effective")));
        m.put("somaxconn", number(kv.get("somaxconn")));
        m.put("server_log", SERVER_LOG);
        return m;
    }

    private static Object number(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private void writeServerLog(List<String> lines) {
        try {
            Files.createDirectories(outDir);
            Files.write(outDir.resolve(SERVER_LOG), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            err.println("lab: could not write " + outDir.resolve(SERVER_LOG) + ": " + e.getMessage());
        }
    }

    /** Adds "lab" to the child's summary.json (replaced whole, like the recording does); absent summary: nothing. */
    private void addToSummary(Map<String, Object> section) {
        Path summary = outDir.resolve(ResultsLayout.SUMMARY_JSON);
        if (!Files.exists(summary)) {
            err.println("lab: the client run wrote no summary.json in " + outDir);
            return;
        }
        try {
            JsonNode node = JSON.readTree(summary.toFile());
            if (!(node instanceof ObjectNode o)) {
                throw new IOException("not a JSON object");
            }
            o.set("lab", JSON.valueToTree(section));
            new io.conlimit.record.RunSummary(outDir, o).save(); // atomic: temp file, forced, renamed
        } catch (IOException e) {
            err.println("lab: could not add the lab section to " + summary + ": " + e.getMessage());
        }
    }

    private static List<String> checkedRunArgs(List<String> args) {
        List<String> a = List.copyOf(args);
        if (!a.isEmpty() && !a.get(0).startsWith("-")) {
            throw new IllegalArgumentException("the lab's run arguments are conlimit run's flags (e.g. --burst 600), got '"
                    + a.get(0) + "'");
        }
        for (String w : a) {
            String flag = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            if (LAB_FLAGS.contains(flag)) {
                throw new IllegalArgumentException(flag + " is set by the lab (the target is the server namespace's "
                        + "address, the results folder is the lab run's, the kernel evidence comes from the server namespace)");
            }
        }
        return a;
    }

    public static final class Builder {
        private LabSpec spec;
        private List<String> serveArgs;
        private List<String> runArgs = List.of();
        private Path scenarioFile;
        private Path outDir;
        private PrintStream out = System.out;
        private PrintStream err = System.err;
        private Duration startTimeout = Duration.ofSeconds(60);
        private Duration runTimeout = Duration.ofHours(1);

        private Builder() {
        }

        /** The namespaces' sysctls and run id. */
        public Builder spec(LabSpec v) {
            this.spec = v;
            return this;
        }

        /** The target server, e.g. a scenario's {@code target.lab.server.embedded}; its bind and port are ignored. */
        public Builder server(ServerConfig v) {
            this.serveArgs = LabServe.args(v);
            return this;
        }

        /** The target server as {@code serve} words without --bind/--port ({@link LabServe#parse}). */
        public Builder serveArgs(List<String> v) {
            this.serveArgs = List.copyOf(v);
            return this;
        }

        /** conlimit run's load and client flags (e.g. {@code --burst 600 --connect-timeout 3.5s}), without the lab's own. */
        public Builder runArgs(List<String> v) {
            this.runArgs = List.copyOf(v);
            return this;
        }

        /**
         * A scenario's {@code target.lab} (io.conlimit.scenario.LabTarget): its sysctls and its server. The client side
         * is then the scenario itself ({@link #scenarioFile}).
         */
        public Builder fromScenarioLab(io.conlimit.scenario.LabTarget lab) {
            this.spec = LabSpec.builder().serverSysctls(lab.serverSysctls()).clientSysctls(lab.clientSysctls()).build();
            this.serveArgs = LabServe.args(lab.server());
            return this;
        }

        /**
         * The client runs {@code conlimit run FILE --target SERVER:8080 --out DIR --server-netns NS <run args>}: the
         * scenario's client and load against the lab's server. This relies on {@code run FILE} letting --target
         * replace the scenario's target (here: its lab), so that the child does not create a lab of its own.
         */
        public Builder scenarioFile(Path v) {
            this.scenarioFile = v;
            return this;
        }

        /** The results folder (must not hold a run yet). */
        public Builder outDir(Path v) {
            this.outDir = v;
            return this;
        }

        public Builder out(PrintStream v) {
            this.out = Objects.requireNonNull(v);
            return this;
        }

        public Builder err(PrintStream v) {
            this.err = Objects.requireNonNull(v);
            return this;
        }

        /** How long the server may take to print its start line (default 60 s). */
        public Builder startTimeout(Duration v) {
            this.startTimeout = Objects.requireNonNull(v);
            return this;
        }

        /** How long the client run may take before it is stopped (default 1 h). */
        public Builder runTimeout(Duration v) {
            this.runTimeout = Objects.requireNonNull(v);
            return this;
        }

        /** @throws IllegalArgumentException naming what is missing or not allowed */
        public LabRun build() {
            if (spec == null) {
                throw new IllegalArgumentException("the lab run needs a lab spec");
            }
            if (outDir == null) {
                throw new IllegalArgumentException("the lab run needs a results folder (--out DIR)");
            }
            return new LabRun(this);
        }
    }
}
