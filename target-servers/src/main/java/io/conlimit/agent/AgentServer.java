package io.conlimit.agent;

import io.conlimit.kernel.KernelInfo;
import io.conlimit.kernel.ListenQueueSampler;
import io.conlimit.kernel.ListenQueues;
import io.conlimit.kernel.ListenSocket;
import io.conlimit.kernel.ProcNet;
import io.conlimit.kernel.ProcNetTcp;
import io.conlimit.json.Json;
import io.conlimit.kernel.TcpExtCounters;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The conlimit agent: reads this machine's kernel evidence and serves it as JSON over HTTP ({@link AgentHttp}: slow
 * clients are timed out and cannot hold up others). GET /sysinfo, /clock, /listeners?port=N, /counters,
 * /samples?port=N&amp;since=T. With a token, every request must carry {@code Authorization: Bearer T}; 401
 * otherwise. A token in the URL's query is refused (400) whether or not it is right: URLs end up in logs. All times are this JVM's
 * System.nanoTime() (CLOCK_MONOTONIC on Linux) and System.currentTimeMillis().
 */
public final class AgentServer implements AutoCloseable {
    /** At most this many listeners are sampled at once. */
    public static final int MAX_SAMPLED = 16;

    private AgentHttp server;
    private final byte[] token;
    private final double rateHz;
    private final Optional<ListenQueues> queues;
    private final TcpExtCounters counters = new TcpExtCounters();
    private final Map<String, ListenQueueSampler> samplers = new LinkedHashMap<>();
    /** When each sampler was last asked for its samples (System.nanoTime()); guarded by {@link #samplers}. */
    private final Map<String, Long> lastPolled = new LinkedHashMap<>();
    /** A sampler nobody has asked for this long is stopped (it spawns ss 10 times a second). */
    static final long IDLE_SAMPLER_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);

    private AgentServer(String token, double rateHz) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.rateHz = rateHz;
        this.queues = ListenQueues.find();
    }

    /**
     * Binds {@code bind} and starts serving.
     *
     * @param token  required bearer token, or null for none
     * @param rateHz sampling rate of /samples (0 &lt; rate &lt;= 50)
     */
    public static AgentServer start(InetSocketAddress bind, String token, double rateHz) throws IOException {
        return start(bind, token, rateHz, AgentHttp.Limits.DEFAULT);
    }

    /** {@link #start(InetSocketAddress, String, double)} with other transport bounds (tests). */
    static AgentServer start(InetSocketAddress bind, String token, double rateHz, AgentHttp.Limits limits) throws IOException {
        if (!(rateHz > 0 && rateHz <= 50)) {
            throw new IllegalArgumentException("--rate must be > 0 and <= 50 Hz, got " + rateHz);
        }
        if (token != null && token.isEmpty()) {
            throw new IllegalArgumentException("--token must not be empty");
        }
        AgentServer agent = new AgentServer(token, rateHz);
        agent.server = new AgentHttp(bind, limits, new AgentHttp.Exchange() {
            @Override
            public AgentHttp.Response gate(AgentHttp.Request r) {
                return agent.gate(r);
            }

            @Override
            public AgentHttp.Response handle(AgentHttp.Request r) {
                return agent.handle(r);
            }
        }, message -> Json.write(error(message)));
        return agent;
    }

    public InetSocketAddress address() {
        return server.address();
    }

    public boolean tokenRequired() {
        return token != null;
    }

    public double rateHz() {
        return rateHz;
    }

    @Override
    public void close() {
        server.close();
        synchronized (samplers) {
            samplers.values().forEach(ListenQueueSampler::stop);
            samplers.clear();
            lastPolled.clear();
        }
    }

    /** Cheap checks on the selector thread: the token, its place, the method. Null lets the request through. */
    private AgentHttp.Response gate(AgentHttp.Request r) {
        Map<String, String> q;
        try {
            q = query(r.rawQuery());
        } catch (IllegalArgumentException e) {
            return answer(400, error("malformed query: " + e.getMessage()));
        }
        if (q.containsKey("token")) {
            return answer(400, error("the token is not accepted in the URL (URLs end up in logs and histories): "
                    + "send it as the header 'Authorization: Bearer <token>'"));
        }
        if (!authorized(r)) {
            return new AgentHttp.Response(401, body(error("missing or wrong token: send 'Authorization: Bearer <token>'")),
                    Map.of("WWW-Authenticate", "Bearer"));
        }
        if (!"GET".equals(r.method())) {
            return answer(405, error("only GET is served"));
        }
        return null;
    }

    private AgentHttp.Response handle(AgentHttp.Request r) {
        Map<String, String> q = query(r.rawQuery());
        String path = r.path();
        try {
            return switch (path) {
                case "/sysinfo" -> answer(200, sysinfo());
                case "/clock" -> answer(200, clock());
                case "/counters" -> answer(200, countersNow());
                case "/listeners" -> answer(200, listeners(q));
                case "/samples" -> answer(200, samples(q));
                case "/sockets" -> answer(200, sockets(q));
                default -> answer(404, error("unknown path " + path + "; try /sysinfo /clock /listeners /counters /samples /sockets"));
            };
        } catch (TooManySamplersException e) {
            return answer(429, error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            return answer(400, error(e.getMessage()));
        } catch (UnavailableException e) {
            return answer(503, error(e.getMessage()));
        } catch (IOException | RuntimeException e) {
            return answer(500, error(String.valueOf(e.getMessage())));
        }
    }

    private boolean authorized(AgentHttp.Request r) {
        if (token == null) {
            return true;
        }
        String header = r.headers().get("authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        String given = header.substring("Bearer ".length()).trim();
        return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    private static AgentHttp.Response answer(int status, Object body) {
        return new AgentHttp.Response(status, body(body), Map.of());
    }

    private static byte[] body(Object body) {
        return (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private Map<String, Object> sysinfo() {
        KernelInfo info = KernelInfo.collect();
        Map<String, Object> m = new LinkedHashMap<>(info.toMap());
        try {
            m.put("syn_retry_schedule", info.synRetrySchedule().toMap());
        } catch (IllegalArgumentException e) {
            m.put("syn_retry_schedule", error(e.getMessage()));
        }
        m.put("ss_available", queues.isPresent());
        m.put("rate_hz", rateHz);
        m.putAll(clock());
        return m;
    }

    private static Map<String, Object> clock() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now_nanos", System.nanoTime());
        m.put("now_epoch_ms", System.currentTimeMillis());
        java.time.Instant now = java.time.Instant.now(); // the wall clock to the microsecond: shards align their start on it
        m.put("now_epoch_us", now.getEpochSecond() * 1_000_000L + now.getNano() / 1000);
        return m;
    }

    private Map<String, Object> countersNow() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now_nanos", System.nanoTime());
        m.put("counters", counters.readEvidence());
        return m;
    }

    private Map<String, Object> listeners(Map<String, String> q) throws IOException, UnavailableException {
        ListenQueues lq = queues.orElseThrow(UnavailableException::new);
        List<ListenSocket> found = q.containsKey("port") ? lq.onPort(port(q)) : lq.all();
        List<Map<String, Object>> list = new ArrayList<>();
        for (ListenSocket s : found) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("local", s.local());
            e.put("port", s.port());
            e.put("queued", s.queued());
            e.put("max", s.max());
            list.add(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now_nanos", System.nanoTime());
        m.put("listeners", list);
        return m;
    }

    /**
     * The socket table of the agent's namespace, rows with {@code port} at either end: {@code [state, local,
     * local_port, remote, remote_port, rx_queue]} each (the client's socket census, docs/kernel-evidence.md).
     */
    private static Map<String, Object> sockets(Map<String, String> q) throws IOException {
        if (!q.containsKey("port")) {
            throw new IllegalArgumentException("/sockets needs ?port=N");
        }
        List<ProcNetTcp.Socket> rows;
        try (ProcNet own = ProcNet.own()) {
            rows = own.sockets(port(q));
        }
        List<List<Object>> list = new ArrayList<>(rows.size());
        for (ProcNetTcp.Socket s : rows) {
            list.add(List.of(s.state(), s.local(), s.localPort(), s.remote(), s.remotePort(), s.rxQueue()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("now_nanos", System.nanoTime());
        m.put("sockets", list);
        return m;
    }

    private Map<String, Object> samples(Map<String, String> q) throws UnavailableException {
        ListenQueues lq = queues.orElseThrow(UnavailableException::new);
        if (!q.containsKey("port")) {
            throw new IllegalArgumentException("/samples needs ?port=N");
        }
        int port = port(q);
        String host = q.get("host");
        long since = Long.MIN_VALUE;
        if (q.containsKey("since")) {
            try {
                since = Long.parseLong(q.get("since"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("since must be an integer (agent nanos), got '" + q.get("since") + "'");
            }
        }
        String key = port + "@" + (host == null ? "" : host);
        boolean startedNow = false;
        ListenQueueSampler sampler;
        synchronized (samplers) {
            long now = System.nanoTime();
            for (var it = lastPolled.entrySet().iterator(); it.hasNext(); ) {
                var idle = it.next();
                if (!idle.getKey().equals(key) && now - idle.getValue() > IDLE_SAMPLER_NANOS) {
                    samplers.remove(idle.getKey()).stop();
                    it.remove();
                }
            }
            lastPolled.put(key, now);
            sampler = samplers.get(key);
            if (sampler == null) {
                if (samplers.size() >= MAX_SAMPLED) {
                    throw new TooManySamplersException("already sampling " + MAX_SAMPLED + " listeners: " + samplers.keySet());
                }
                sampler = ListenQueueSampler.builder(lq, port).host(host).rateHz(rateHz).build().start();
                samplers.put(key, sampler);
                startedNow = true;
            }
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (ListenQueueSampler.Sample s : sampler.since(since)) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("nanos", s.nanos());
            e.put("queued", s.queued());
            e.put("max", s.max());
            e.put("counters", s.counters());
            list.add(e);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("port", port);
        m.put("host", host);
        m.put("rate_hz", rateHz);
        m.put("started_now", startedNow);
        m.put("now_nanos", System.nanoTime());
        m.put("max_queued_seen", sampler.maxQueuedSeen());
        m.put("max_backlog_seen", sampler.maxBacklogSeen());
        m.put("samples_taken", sampler.samplesTaken());
        m.put("samples_dropped", sampler.samplesDropped());
        m.put("errors", sampler.errors());
        m.put("last_error", sampler.lastError().orElse(null));
        m.put("queue_source", sampler.queueSource());
        m.put("samples", list);
        return m;
    }

    private static int port(Map<String, String> q) {
        String v = q.get("port");
        try {
            int p = Integer.parseInt(v);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("port must be 1..65535, got '" + v + "'");
    }

    static Map<String, String> query(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    private static Map<String, Object> error(String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        return m;
    }

    /** A request for a 17th sampler: 429, the client may retry once one has been idle for 60 s. */
    private static final class TooManySamplersException extends RuntimeException {
        TooManySamplersException(String message) {
            super(message);
        }
    }

    private static final class UnavailableException extends Exception {
        UnavailableException() {
            super("iproute2's ss is not installed on the agent's machine: listener queues cannot be read");
        }
    }
}
