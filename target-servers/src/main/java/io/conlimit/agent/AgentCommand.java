package io.conlimit.agent;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code conlimit agent}: serves this machine's kernel evidence over HTTP/JSON until stopped (Ctrl-C). */
@Command(name = "agent",
        mixinStandardHelpOptions = true,
        description = {
                "Serves this machine's kernel evidence to a remote conlimit over HTTP/JSON.",
                "Listen queues, TcpExt counters and sysctls, for a conlimit harness on another machine:",
                "GET /sysinfo /clock /listeners?port=N /counters",
                "/samples?port=N&since=T. Binds 127.0.0.1 unless --listen says otherwise."})
public final class AgentCommand implements Callable<Integer> {
    /** Default bind address: loopback only. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:7070";

    @Option(names = "--listen", paramLabel = "ADDR:PORT", defaultValue = DEFAULT_LISTEN,
            description = "Address and port to bind (default ${DEFAULT-VALUE}; [::1]:7070 for IPv6; port 0 = any free port).")
    String listen;

    /** The environment variable --token defaults to (the harness reads the same one for --agent-token). */
    public static final String TOKEN_ENV = "CONLIMIT_AGENT_TOKEN";

    @Option(names = "--token", paramLabel = "T",
            description = "Require 'Authorization: Bearer T' on every request; 401 otherwise "
                    + "(default: the environment variable CONLIMIT_AGENT_TOKEN when set, else no token). "
                    + "A token in the URL (?token=T) is refused.")
    String token;

    @Option(names = "--no-token-on-network",
            description = "Listen on an address other machines can reach without a token (refused otherwise): "
                    + "anybody who reaches the port can then read this machine's sockets and start samplers.")
    boolean noTokenOnNetwork;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "10",
            description = "Sampling rate of /samples in Hz (default ${DEFAULT-VALUE}, at most 50).")
    double rate;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs the agent alone: {@code java -cp conlimit-target.jar io.conlimit.agent.AgentCommand}. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        InetSocketAddress bind;
        try {
            bind = parseListen(listen);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        String env = System.getenv(TOKEN_ENV);
        String t = token != null ? token : env == null || env.isEmpty() ? null : env;
        if (t == null && !bind.getAddress().isLoopbackAddress() && !noTokenOnNetwork) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--listen " + listen
                    + " can be reached from other machines and no token is set: anybody who reaches it could read this "
                    + "machine's sockets and start samplers. Set --token T (or the environment variable " + TOKEN_ENV
                    + "), or pass --no-token-on-network to serve without one");
        }
        AgentServer started;
        try {
            started = AgentServer.start(bind, t, rate);
        } catch (java.net.BindException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--listen " + listen + ": cannot listen there: "
                    + io.conlimit.text.PlainErrors.message(e) + " (in use, or not an address of this machine)");
        }
        try (AgentServer agent = started) {
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "conlimit-agent-stop"));
            // SIGINT/SIGTERM end the agent normally (exit 0, as serve), not through the JVM's 130/143
            java.util.Optional<String> signals = io.conlimit.target.cli.Signals.onTermination(stopped::countDown);
            PrintWriter out = spec.commandLine().getOut();
            out.println(startLine(agent));
            signals.ifPresent(w -> out.println("warning: " + w));
            out.flush();
            stopped.await();
        }
        return 0;
    }

    /** "agent listening on 127.0.0.1:7070 token=required|none rate=10Hz". */
    static String startLine(AgentServer agent) {
        InetSocketAddress a = agent.address();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        double r = agent.rateHz();
        String rate = r == Math.rint(r) ? String.valueOf((long) r) : String.valueOf(r);
        return "agent listening on " + host + ":" + a.getPort() + " token=" + (agent.tokenRequired() ? "required" : "none")
                + " rate=" + rate + "Hz";
    }

    /** "127.0.0.1:7070", "[::1]:7070", "0.0.0.0:7070", "host:port". */
    public static InetSocketAddress parseListen(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("expected ADDR:PORT, got nothing");
        }
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("expected ADDR:PORT (e.g. 127.0.0.1:7070), got '" + value + "'");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in '" + value + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        InetSocketAddress a = new InetSocketAddress(host, port);
        if (a.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve '" + host + "'");
        }
        return a;
    }
}
