package io.conlimit.scenario;

import io.conlimit.plan.TargetSpec;
import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads {@code target:}: exactly one of {@code embedded}, {@code host}+{@code port}, or {@code lab}. */
final class TargetReader {
    static final List<String> TARGET_KEYS = List.of("embedded", "host", "port", "agent", "stats", "i-own-the-target", "lab");
    static final List<String> EMBEDDED_KEYS = List.of("kind", "port", "bind", "backlog", "workers", "queue",
            "accept-delay", "hold", "banner", "echo", "respond", "stats-port", "stats-bind");
    static final List<String> LAB_KEYS = List.of("kind", "server", "client");
    static final List<String> LAB_SERVER_KEYS = List.of("sysctls", "embedded");
    static final List<String> LAB_CLIENT_KEYS = List.of("sysctls");
    private static final String ONE_OF = "exactly one of embedded, host + port, lab";
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+\\]|[^:\\s]+):(\\d{1,5})");
    private static final Pattern SYSCTL = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_-]+)+");

    /** The result: the run's target, and the lab description when it is a lab. */
    record Result(TargetSpec target, LabTarget lab) {
    }

    private TargetReader() {
    }

    static Optional<Result> read(Problems p, String path, Node node) {
        Optional<MapReader> mr = MapReader.of(p, path, node, TARGET_KEYS);
        if (mr.isEmpty()) {
            return Optional.empty();
        }
        MapReader m = mr.get();
        boolean embedded = m.written("embedded");
        boolean host = m.written("host") || m.written("port");
        boolean lab = m.written("lab");
        int forms = (embedded ? 1 : 0) + (host ? 1 : 0) + (lab ? 1 : 0);
        if (forms == 0) {
            m.error("no target given", ONE_OF);
            return Optional.empty();
        }
        if (forms > 1) {
            List<String> given = new java.util.ArrayList<>();
            if (embedded) given.add("'embedded'");
            if (host) given.add("'host'/'port'");
            if (lab) given.add("'lab'");
            m.error("both " + String.join(" and ", given) + " given", ONE_OF);
            return Optional.empty();
        }
        if (!host) {
            for (String k : List.of("agent", "stats", "i-own-the-target")) {
                if (m.written(k)) {
                    p.at(m.keyNode(k), m.pathOf(k), "'" + k + "' applies to an external host:port target only", null);
                }
            }
        }
        if (embedded) {
            return embedded(p, m.pathOf("embedded"), m.value("embedded"))
                    .map(c -> new Result(new TargetSpec.Embedded(c), null));
        }
        if (lab) {
            return lab(p, m.pathOf("lab"), m.value("lab"));
        }
        return external(m);
    }

    private static Optional<Result> external(MapReader m) {
        Problems p = m.problems();
        if (!m.has("host")) {
            m.missing("host", "the external server's address, with 'port'");
        }
        if (!m.has("port")) {
            m.missing("port", "the external server's port, with 'host'");
        }
        Optional<String> host = m.string("host");
        Optional<Integer> port = m.integer("port", 1, 65535);
        Optional<String> agent = hostPort(m, "agent");
        Optional<String> stats = hostPort(m, "stats");
        boolean consent = m.bool("i-own-the-target").orElse(false);
        if (host.isEmpty() || port.isEmpty() || (m.has("agent") && agent.isEmpty()) || (m.has("stats") && stats.isEmpty())) {
            return Optional.empty();
        }
        if (host.get().isBlank()) {
            p.at(m.value("host"), m.pathOf("host"), "empty host", "a host name or address");
            return Optional.empty();
        }
        return Optional.of(new Result(new TargetSpec.External(host.get(), port.get(), agent.orElse(null), stats.orElse(null),
                consent), null));
    }

    private static Optional<String> hostPort(MapReader m, String key) {
        Optional<String> v = m.string(key);
        if (v.isPresent() && !HOST_PORT.matcher(v.get()).matches()) {
            m.problems().at(m.value(key), m.pathOf(key), "'" + v.get() + "' is not host:port", "host:port, e.g. 10.0.0.5:7070");
            return Optional.empty();
        }
        return v;
    }

    /** {@code embedded:} -> ServerConfig, with the option names of {@code conlimit serve}. */
    static Optional<ServerConfig> embedded(Problems p, String path, Node node) {
        Optional<MapReader> mr = MapReader.of(p, path, node, EMBEDDED_KEYS);
        if (mr.isEmpty()) {
            return Optional.empty();
        }
        MapReader m = mr.get();
        int before = p.count();
        if (!m.has("kind")) {
            m.missing("kind", "one of " + ServerKind.names());
            return Optional.empty();
        }
        Optional<ServerKind> kind = m.string("kind").flatMap(k -> {
            try {
                return Optional.of(ServerKind.fromName(k));
            } catch (IllegalArgumentException e) {
                p.at(m.value("kind"), m.pathOf("kind"), "unknown server kind '" + k + "'", "one of " + ServerKind.names());
                return Optional.empty();
            }
        });
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        ServerConfig.Builder b = ServerConfig.builder(kind.get());
        m.integer("port", 0, 65535).ifPresent(b::port);
        m.string("bind").ifPresent(b::bind);
        m.string("backlog").ifPresent(s -> {
            try {
                b.backlog(BacklogRequest.parse(s));
            } catch (IllegalArgumentException e) {
                p.at(m.value("backlog"), m.pathOf("backlog"), "'" + s + "' is not a backlog", "a number, 'max' or 'default'");
            }
        });
        m.integer("workers", kind.get() == ServerKind.EVENT_LOOP ? 0 : 1, Integer.MAX_VALUE).ifPresent(b::workers);
        m.integer("queue", 0, Integer.MAX_VALUE).ifPresent(q -> {
            if (q > 0 && kind.get() != ServerKind.THREAD_POOL) {
                p.at(m.value("queue"), m.pathOf("queue"), "queue applies to thread-pool only, not " + kind.get(), "no queue, or kind: thread-pool");
            } else {
                b.queue(q);
            }
        });
        m.duration("accept-delay").ifPresent(b::acceptDelay);
        m.string("hold").ifPresent(s -> {
            try {
                b.hold(HoldSpec.parse(s));
            } catch (IllegalArgumentException e) {
                p.at(m.value("hold"), m.pathOf("hold"), "'" + s + "' is not a hold time", "a duration, exp:DURATION or forever");
            }
        });
        m.string("banner").ifPresent(b::banner);
        m.bool("echo").ifPresent(b::echo);
        m.string("respond").ifPresent(r -> {
            if (m.bool("echo").orElse(false)) {
                p.at(m.value("respond"), m.pathOf("respond"), "echo and respond exclude each other", "one of echo: true or respond: TEXT");
            } else {
                b.respond(r);
            }
        });
        m.integer("stats-port", -1, 65535).ifPresent(b::statsPort);
        m.string("stats-bind").ifPresent(b::statsBind);
        if (p.count() > before) {
            return Optional.empty();
        }
        try {
            return Optional.of(b.build());
        } catch (IllegalArgumentException e) {
            // ServerConfig names the CLI flag (--queue); in a scenario the key has no dashes in front.
            m.error(e.getMessage().replace("--", ""), null);
            return Optional.empty();
        }
    }

    private static Optional<Result> lab(Problems p, String path, Node node) {
        Optional<MapReader> mr = MapReader.of(p, path, node, LAB_KEYS);
        if (mr.isEmpty()) {
            return Optional.empty();
        }
        MapReader m = mr.get();
        Optional<LabTarget.Kind> kind = Optional.empty();
        if (!m.has("kind")) {
            m.missing("kind", "netns");
        } else {
            kind = m.string("kind").flatMap(k -> {
                if (k.equals("netns")) {
                    return Optional.of(LabTarget.Kind.NETNS);
                }
                p.at(m.value("kind"), m.pathOf("kind"), "unknown lab kind '" + k + "'", "netns");
                return Optional.empty();
            });
        }
        Map<String, String> serverSysctls = new LinkedHashMap<>();
        Map<String, String> clientSysctls = new LinkedHashMap<>();
        Optional<ServerConfig> server = Optional.empty();
        if (!m.has("server")) {
            m.missing("server", "a mapping with 'embedded' (and optional 'sysctls')");
        } else {
            Optional<MapReader> sr = MapReader.of(p, m.pathOf("server"), m.value("server"), LAB_SERVER_KEYS);
            if (sr.isPresent()) {
                sysctls(sr.get(), serverSysctls);
                if (!sr.get().has("embedded")) {
                    sr.get().missing("embedded", "the target server to start in the lab (same keys as target.embedded)");
                } else {
                    server = embedded(p, sr.get().pathOf("embedded"), sr.get().value("embedded"));
                }
            }
        }
        if (m.written("client")) {
            MapReader.of(p, m.pathOf("client"), m.value("client"), LAB_CLIENT_KEYS).ifPresent(c -> sysctls(c, clientSysctls));
        }
        if (kind.isEmpty() || server.isEmpty()) {
            return Optional.empty();
        }
        LabTarget lab = new LabTarget(kind.get(), serverSysctls, clientSysctls, server.get());
        return Optional.of(new Result(new TargetSpec.Embedded(server.get()), lab));
    }

    private static void sysctls(MapReader parent, Map<String, String> into) {
        if (!parent.has("sysctls")) {
            return;
        }
        Problems p = parent.problems();
        Node n = parent.value("sysctls");
        String path = parent.pathOf("sysctls");
        if (!(n instanceof org.snakeyaml.engine.v2.nodes.MappingNode map)) {
            p.at(n, path, "got " + Nodes.describe(n), "a mapping of sysctl name to value, e.g. net.core.somaxconn: 128");
            return;
        }
        for (org.snakeyaml.engine.v2.nodes.NodeTuple t : map.getValue()) {
            Optional<String> name = Values.string(p, path, t.getKeyNode());
            if (name.isEmpty()) {
                continue;
            }
            String keyPath = Nodes.child(path, name.get());
            if (!SYSCTL.matcher(name.get()).matches()) {
                p.at(t.getKeyNode(), keyPath, "'" + name.get() + "' is not a sysctl name", "a dotted name such as net.core.somaxconn");
                continue;
            }
            if (into.containsKey(name.get())) {
                p.at(t.getKeyNode(), keyPath, "duplicate key '" + name.get() + "'", null);
                continue;
            }
            if (!name.get().startsWith("net.")) {
                p.at(t.getKeyNode(), keyPath, "'" + name.get() + "' is not a network-namespace setting",
                        "a net.* key such as net.core.somaxconn: only those belong to a namespace; others would change the host's kernel");
                continue;
            }
            Values.scalar(p, keyPath, t.getValueNode(), "a sysctl value such as 128").ifPresent(v -> {
                String problem = sysctlValueProblem(name.get(), v.trim());
                if (problem != null) {
                    p.at(t.getValueNode(), keyPath, "'" + v + "' " + problem, null);
                } else {
                    into.put(name.get(), v.trim());
                }
            });
        }
    }


    /**
     * Null when {@code value} can be written to {@code name}: one integer for the decisive settings
     * (io.conlimit.kernel.Sysctls#DECISIVE), two for ip_local_port_range, and for any other net.* key a one-line
     * value without '='; else what is wrong (and what was expected).
     */
    static String sysctlValueProblem(String name, String value) {
        return new io.conlimit.kernel.Sysctls().valueProblem(name, value);
    }
}
