package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.conlimit.kernel.ListenQueues;
import io.conlimit.kernel.ListenSocket;
import io.conlimit.kernel.Sysctls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code conlimit probe-backlog}: listens on 127.0.0.1 with each requested backlog and prints what the kernel made
 * of it (ss's Send-Q for the listener), with the reason.
 */
@Command(name = "probe-backlog",
        mixinStandardHelpOptions = true,
        description = {
                "Shows what the kernel makes of each requested listen backlog.",
                "Listens on 127.0.0.1 (any free port) with each requested backlog, reads the effective accept-queue",
                "maximum the kernel reports for the socket (ss -lnt Send-Q) and prints",
                "'requested -> passed to listen() -> effective (reason)'."})
public final class ProbeBacklogCommand implements Callable<Integer> {
    /** Java's rule (ServerSocketChannel.bind, ServerSocket): a backlog below 1 becomes 50. */
    static final int JAVA_DEFAULT_BACKLOG = io.conlimit.target.BacklogRequest.JAVA_DEFAULT;

    @Option(names = "--requested", paramLabel = "LIST", split = ",", defaultValue = "50,128,4096,max,-1,default",
            description = "Backlogs to try: integers, 'max' (Integer.MAX_VALUE) or 'default' (bind without a backlog, i.e. 0). Default: ${DEFAULT-VALUE}.")
    List<String> requested;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One probe's result. */
    record Probe(String requested, int javaArgument, int passed, int effective, String reason) {
    }

    @Override
    public Integer call() throws Exception {
        List<String[]> parsed = new ArrayList<>();
        for (String r : requested) {
            parsed.add(new String[] {r.trim(), String.valueOf(parse(r.trim()))});
        }
        Optional<ListenQueues> queues = ListenQueues.find();
        if (queues.isEmpty()) {
            spec.commandLine().getErr().println("conlimit probe-backlog: iproute2's ss is not installed: the effective backlog cannot be read");
            return ExitCodes.RUN_INCOMPLETE;
        }
        int somaxconn = new Sysctls().somaxconn();
        List<Probe> probes = new ArrayList<>();
        for (String[] p : parsed) {
            probes.add(probe(queues.get(), p[0], Integer.parseInt(p[1]), somaxconn));
        }
        String note = note(somaxconn);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("somaxconn", somaxconn);
            List<Map<String, Object>> list = new ArrayList<>();
            for (Probe p : probes) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("requested", p.requested());
                e.put("java_argument", p.javaArgument());
                e.put("passed", p.passed());
                e.put("effective", p.effective());
                e.put("reason", p.reason());
                list.add(e);
            }
            m.put("probes", list);
            m.put("note", note);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            return ExitCodes.OK;
        }
        out.println("net.core.somaxconn = " + somaxconn + " (this process's network namespace)");
        out.println("requested -> passed to listen() -> effective (Send-Q of the listening socket, as ss reports it)");
        for (Probe p : probes) {
            out.println(p.requested() + " -> " + p.passed() + " -> " + p.effective() + " (" + p.reason() + ")");
        }
        out.println();
        out.println(note);
        return ExitCodes.OK;
    }

    private int parse(String value) {
        switch (value) {
            case "max":
                return Integer.MAX_VALUE;
            case "default":
                return 0;
            default:
                try {
                    return Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--requested: '" + value + "' is not an integer, 'max' or 'default'");
                }
        }
    }

    static Probe probe(ListenQueues queues, String requested, int backlog, int somaxconn) throws IOException {
        try (ServerSocketChannel ch = ServerSocketChannel.open()) {
            InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
            if (requested.equals("default")) {
                ch.bind(any);
            } else {
                ch.bind(any, backlog);
            }
            int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
            int passed = io.conlimit.target.BacklogRequest.of(backlog).passedToListen();
            ListenSocket s = queues.find("127.0.0.1", port)
                    .orElseThrow(() -> new IOException("ss shows no listener on 127.0.0.1:" + port));
            return new Probe(requested, backlog, passed, s.max(), reason(backlog, passed, s.max(), somaxconn));
        }
    }

    static String reason(int backlog, int passed, int effective, int somaxconn) {
        String java = backlog < 1 ? "Java replaces a backlog below 1 by " + JAVA_DEFAULT_BACKLOG : null;
        if (effective == passed) {
            return java != null ? java : "as asked";
        }
        if (effective == somaxconn && passed > somaxconn) {
            return (java != null ? java + ", then " : "") + "clamped to somaxconn " + somaxconn;
        }
        return "the kernel reports " + effective + ", which neither the request nor somaxconn " + somaxconn + " explains";
    }

    static String note(int somaxconn) {
        String base = "Note: SOMAXCONN in C headers and Python's socket.SOMAXCONN are compile-time constants (128 with older"
                + " headers, 4096 with newer ones), not this system's limit, which is net.core.somaxconn = " + somaxconn + ". ";
        if (somaxconn > 128) {
            return base + "A program that passes the constant 128 asks for less than this system allows (" + somaxconn
                    + "): it gets 128. To get the system's limit, pass a large value (Java: Integer.MAX_VALUE) and let the"
                    + " kernel clamp it, or read /proc/sys/net/core/somaxconn (as Netty does).";
        }
        return base + "Any request above " + somaxconn + " (e.g. the constant 4096) is silently clamped to " + somaxconn
                + "; raising net.core.somaxconn is what helps here.";
    }
}
