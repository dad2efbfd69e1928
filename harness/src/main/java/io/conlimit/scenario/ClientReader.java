package io.conlimit.scenario;

import io.conlimit.util.Suggest;
import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.Probe;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code client:}; absent keys keep {@link ClientOptions#defaults()}. */
final class ClientReader {
    static final List<String> CLIENT_KEYS = List.of("probe", "connect-timeout", "response-timeout", "hold", "close", "sources");
    static final List<String> PROBE_FORMS = List.of("request", "http", "postgres");
    static final List<String> PROBE_NAMES = List.of("connect", "banner", "http", "mysql", "postgres", "memcached", "redis", "smtp", "ftp");
    static final List<String> REQUEST_KEYS = List.of("send", "expect-bytes", "until", "served", "refused");
    static final List<String> HTTP_KEYS = List.of("path", "host");
    static final List<String> POSTGRES_KEYS = List.of("user", "database");
    private static final String PROBE_EXPECTED = "connect, banner, http, mysql, postgres, memcached, redis, smtp, ftp, "
            + "{request: {send, expect-bytes | until, served, refused}}, {http: {path, host}} or {postgres: {user, database}}";

    private ClientReader() {
    }

    /** @param defaultHttpHost the Host header when {@code http.host} is not given (the target's host) */
    static Optional<ClientOptions> read(Problems p, String path, Node node, String defaultHttpHost, ClientOptions d) {
        if (node == null) {
            return Optional.of(d);
        }
        Optional<MapReader> mr = MapReader.of(p, path, node, CLIENT_KEYS);
        if (mr.isEmpty()) {
            return Optional.empty();
        }
        MapReader m = mr.get();
        int before = p.count();
        Probe probe = m.has("probe") ? probe(p, m.pathOf("probe"), m.value("probe"), defaultHttpHost).orElse(null) : d.probe();
        Duration connectTimeout = positive(m, "connect-timeout").orElse(d.connectTimeout());
        Duration responseTimeout = positive(m, "response-timeout").orElse(d.responseTimeout());
        Duration hold = d.hold();
        if (m.has("hold")) {
            Node h = m.value("hold");
            if (h instanceof ScalarNode s && s.getValue().equals("until-end")) {
                hold = null;
            } else {
                Optional<String> text = Values.scalar(p, m.pathOf("hold"), h, "a duration or until-end");
                if (text.isPresent()) {
                    try {
                        hold = io.conlimit.target.Durations.parse(text.get());
                    } catch (IllegalArgumentException e) {
                        p.at(h, m.pathOf("hold"), "'" + text.get() + "' is not a duration", "a duration such as 500ms, or until-end");
                    }
                }
            }
        }
        ClientOptions.CloseMode close = d.closeMode();
        if (m.has("close")) {
            Optional<String> c = m.string("close");
            if (c.isPresent()) {
                switch (c.get()) {
                    case "fin" -> close = ClientOptions.CloseMode.FIN;
                    case "rst" -> close = ClientOptions.CloseMode.RST;
                    default -> p.at(m.value("close"), m.pathOf("close"), "unknown close mode '" + c.get() + "'", "fin or rst");
                }
            }
        }
        List<InetAddress> sources = m.has("sources") ? sources(p, m.pathOf("sources"), m.value("sources")) : d.sources();
        if (p.count() > before || probe == null) {
            return Optional.empty();
        }
        return Optional.of(new ClientOptions(probe, connectTimeout, responseTimeout, hold, close, sources));
    }

    private static Optional<Duration> positive(MapReader m, String key) {
        Optional<Duration> d = m.duration(key);
        if (d.isPresent() && (d.get().isZero() || d.get().isNegative())) {
            m.problems().at(m.value(key), m.pathOf(key), "must be above 0", Values.DURATION_FORMS);
            return Optional.empty();
        }
        return d;
    }

    static Optional<Probe> probe(Problems p, String path, Node node, String defaultHttpHost) {
        if (node instanceof ScalarNode s && !Nodes.isNull(node)) {
            Optional<Probe> named = named(s.getValue(), defaultHttpHost);
            if (named.isEmpty()) {
                Optional<String> near = Suggest.nearest(s.getValue(), PROBE_NAMES);
                p.at(node, path, "unknown probe '" + s.getValue() + "'" + near.map(n -> "; did you mean '" + n + "'?").orElse(""),
                        near.isPresent() ? null : PROBE_EXPECTED);
            }
            return named;
        }
        if (!(node instanceof MappingNode map) || map.getValue().size() != 1) {
            p.at(node, path, "got " + Nodes.describe(node)
                    + (node instanceof MappingNode mm ? " with " + mm.getValue().size() + " keys" : ""), PROBE_EXPECTED);
            return Optional.empty();
        }
        Optional<MapReader> outer = MapReader.of(p, path, node, PROBE_FORMS);
        if (outer.isEmpty()) {
            return Optional.empty();
        }
        MapReader o = outer.get();
        if (o.written("request")) {
            return request(p, o.pathOf("request"), o.value("request"));
        }
        if (o.written("http")) {
            Optional<MapReader> hr = MapReader.of(p, o.pathOf("http"), o.value("http"), HTTP_KEYS);
            if (hr.isEmpty()) {
                return Optional.empty();
            }
            String probePath = hr.get().string("path").orElse("/");
            if (!probePath.startsWith("/")) {
                p.at(hr.get().value("path"), hr.get().pathOf("path"), "'" + probePath + "' does not start with /", "a path such as /health");
                return Optional.empty();
            }
            return Optional.of(new Probe.Http(probePath, hr.get().string("host").orElse(defaultHttpHost)));
        }
        if (o.written("postgres")) {
            Optional<MapReader> pr = MapReader.of(p, o.pathOf("postgres"), o.value("postgres"), POSTGRES_KEYS);
            if (pr.isEmpty()) {
                return Optional.empty();
            }
            int before = p.count();
            String user = nonEmpty(pr.get(), "user").orElse(Probe.Postgres.DEFAULT_USER);
            String database = nonEmpty(pr.get(), "database").orElse(user);
            return p.count() > before ? Optional.empty() : Optional.of(new Probe.Postgres(user, database));
        }
        return Optional.empty(); // the unknown key was reported by MapReader
    }

    private static Optional<Probe> named(String name, String defaultHttpHost) {
        return Optional.ofNullable(switch (name) {
            case "connect" -> new Probe.Connect();
            case "banner" -> new Probe.Banner();
            case "http" -> new Probe.Http("/", defaultHttpHost);
            case "mysql" -> new Probe.Mysql();
            case "postgres" -> new Probe.Postgres(Probe.Postgres.DEFAULT_USER, Probe.Postgres.DEFAULT_USER);
            case "memcached" -> new Probe.Memcached();
            case "redis" -> new Probe.Redis();
            case "smtp" -> new Probe.Smtp();
            case "ftp" -> new Probe.Ftp();
            default -> null;
        });
    }

    private static Optional<String> nonEmpty(MapReader m, String key) {
        Optional<String> v = m.string(key);
        if (v.isPresent() && v.get().isEmpty()) {
            m.problems().at(m.value(key), m.pathOf(key), "empty " + key, "a name such as conlimit");
            return Optional.empty();
        }
        return v;
    }

    /** A regex key of the request probe, its syntax checked. */
    private static Optional<String> pattern(MapReader r, String key) {
        Optional<String> v = r.string(key);
        if (v.isEmpty()) {
            return v;
        }
        try {
            java.util.regex.Pattern.compile(v.get());
        } catch (java.util.regex.PatternSyntaxException e) {
            r.problems().at(r.value(key), r.pathOf(key), "'" + v.get() + "' is not a regex: " + e.getDescription(),
                    "a Java regex found anywhere in the answer, e.g. \"^VERSION\"");
            return Optional.empty();
        }
        if (v.get().isEmpty()) {
            r.problems().at(r.value(key), r.pathOf(key), "empty pattern", "a Java regex, e.g. \"^VERSION\"");
            return Optional.empty();
        }
        return v;
    }

    /** A YAML string as bytes: one byte per character when all are at most \xff (so "\xff" is the byte FF), else UTF-8. */
    static byte[] bytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xff) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static Optional<Probe> request(Problems p, String path, Node node) {
        Optional<MapReader> rr = MapReader.of(p, path, node, REQUEST_KEYS);
        if (rr.isEmpty()) {
            return Optional.empty();
        }
        MapReader r = rr.get();
        int before = p.count();
        if (!r.has("send")) {
            r.missing("send", "the bytes to send, e.g. \"version\\r\\n\"");
        }
        Optional<String> send = r.string("send");
        boolean bytes = r.written("expect-bytes");
        boolean until = r.written("until");
        if (bytes == until) {
            r.error(bytes ? "both 'expect-bytes' and 'until' given" : "neither 'expect-bytes' nor 'until' given",
                    "exactly one of expect-bytes (a count) or until (a delimiter such as \"\\r\\n\")");
        }
        Optional<Integer> n = r.integer("expect-bytes", 1, Integer.MAX_VALUE);
        Optional<String> delimiter = r.string("until");
        if (delimiter.isPresent() && delimiter.get().isEmpty()) {
            p.at(r.value("until"), r.pathOf("until"), "empty delimiter", "a delimiter such as \"\\r\\n\"");
        }
        Optional<String> served = pattern(r, "served");
        Optional<String> refused = pattern(r, "refused");
        if (n.isPresent() && n.get() > Probe.ANSWER_CAP && (served.isPresent() || refused.isPresent())) {
            p.at(r.value("expect-bytes"), r.pathOf("expect-bytes"), "served/refused read at most " + Probe.ANSWER_CAP + " bytes",
                    "a count up to " + Probe.ANSWER_CAP + ", or until");
        }
        if (p.count() > before || send.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Probe.Request(bytes(send.get()), n.orElse(0),
                delimiter.map(ClientReader::bytes).orElse(new byte[0]), served.orElse(null), refused.orElse(null)));
    }

    private static List<InetAddress> sources(Problems p, String path, Node node) {
        List<InetAddress> out = new ArrayList<>();
        if (node instanceof SequenceNode seq) {
            int i = 0;
            for (Node item : seq.getValue()) {
                String itemPath = Nodes.index(path, i++);
                Values.scalar(p, itemPath, item, "an IP address").ifPresent(s -> addSource(p, itemPath, item, s, out));
            }
            return out;
        }
        Values.scalar(p, path, node, "a list of IP addresses or a range such as 127.0.0.1-127.0.0.8")
                .ifPresent(s -> addSource(p, path, node, s, out));
        return out;
    }

    private static void addSource(Problems p, String path, Node node, String text, List<InetAddress> out) {
        try {
            out.addAll(Sources.parse(text));
        } catch (IllegalArgumentException e) {
            p.at(node, path, e.getMessage(), "an IP address or a range such as 127.0.0.1-127.0.0.8");
        }
    }
}
