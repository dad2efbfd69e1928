package io.conlimit.evidence;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.conlimit.kernel.ListenQueueSampler.Sample;
import io.conlimit.kernel.ProcNetTcp;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads a remote server's kernel evidence from a conlimit agent ({@code conlimit agent} on that machine) over
 * HTTP/JSON, and maps the agent's clock onto ours ({@link ClockAlignment}). The agent samples locally at its
 * own rate and buffers, so the network round trip does not limit the resolution.
 */
public final class AgentClient implements EvidenceSource {
    /** How long start() waits for the agent to take its first sample of the listener. */
    static final long FIRST_SAMPLE_WAIT_MS = 3000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String hostPort;
    private final URI base;
    private final String token;
    private final int listenerPort;
    private final String listenerHost;
    private final long epochNanos;
    /** Round trips for the clock alignment. */
    private static final int ALIGN_ROUNDS = 8;
    private final HttpClient http;
    private volatile ClockAlignment clock;
    private volatile double rateHz = Double.NaN;

    private AgentClient(Builder b) {
        this.hostPort = b.hostPort;
        this.base = baseUri(b.hostPort);
        this.token = b.token;
        this.listenerPort = b.listenerPort;
        this.listenerHost = b.listenerHost;
        this.epochNanos = b.epochNanos;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** An agent at "host:port" ("[v6]:port" for IPv6). */
    public static Builder builder(String hostPort) {
        return new Builder(hostPort);
    }

    /** Builder: token, the listener to sample and the run's epoch are optional. */
    public static final class Builder {
        private final String hostPort;
        private String token;
        private int listenerPort;
        private String listenerHost;
        private long epochNanos;

        private Builder(String hostPort) {
            baseUri(hostPort); // validates
            this.hostPort = hostPort;
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** The server's listener to sample (port, and its address or null for any on the port). */
        public Builder listener(int port, String host) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("target port must be 1..65535, got " + port);
            }
            this.listenerPort = port;
            this.listenerHost = host;
            return this;
        }

        /** Our System.nanoTime() at the run's start: sample times are returned relative to it. */
        public Builder epochNanos(long epochNanos) {
            this.epochNanos = epochNanos;
            return this;
        }

        public AgentClient build() {
            return new AgentClient(this);
        }
    }

    static URI baseUri(String hostPort) {
        if (hostPort == null || hostPort.isBlank()) {
            throw new IllegalArgumentException("--agent: expected HOST:PORT, got nothing");
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("--agent: expected HOST:PORT (e.g. 10.0.0.5:7070), got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--agent: port must be 1..65535 in '" + hostPort + "'");
            }
            return URI.create("http://" + host + ":" + port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--agent: port is not a number in '" + hostPort + "'");
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("--agent")) {
                throw e;
            }
            throw new IllegalArgumentException("--agent: not a valid HOST:PORT: '" + hostPort + "'");
        }
    }

    @Override
    public String describe() {
        return "agent " + hostPort;
    }

    /** GET {@code pathAndQuery}; the parsed JSON body on 200, an IOException naming the status and error otherwise. */
    public JsonNode get(String pathAndQuery) throws IOException {
        HttpResponse<String> r = send(pathAndQuery);
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IOException("agent " + hostPort + " answered " + pathAndQuery + " with non-JSON (HTTP " + r.statusCode() + "): " + r.body(), e);
        }
        if (r.statusCode() != 200) {
            String why = body.path("error").asText(r.body());
            throw new IOException("agent " + hostPort + " refused " + pathAndQuery + ": HTTP " + r.statusCode() + ": " + why);
        }
        return body;
    }

    /** The raw response, any status (for tests and diagnostics). */
    public HttpResponse<String> send(String pathAndQuery) throws IOException {
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted talking to agent " + hostPort, e);
        } catch (IOException e) {
            throw new IOException("cannot reach agent " + hostPort + ": " + io.conlimit.text.PlainErrors.message(e), e);
        }
    }

    /** Measures the clock offset over {@code rounds} round trips to /clock, keeping the one with the smallest RTT. */
    public ClockAlignment alignClock(int rounds) throws IOException {
        ClockAlignment.Estimator est = new ClockAlignment.Estimator();
        for (int i = 0; i < rounds; i++) {
            long wall0 = System.currentTimeMillis();
            long t0 = System.nanoTime();
            JsonNode n = get("/clock");
            long t1 = System.nanoTime();
            long wall1 = System.currentTimeMillis();
            est.add(t0, t1, n.path("now_nanos").asLong(), (wall0 + wall1) / 2, n.path("now_epoch_ms").asLong());
        }
        ClockAlignment a = est.result();
        this.clock = a;
        return a;
    }

    /** Aligns the clocks, then (with a listener configured) asks the agent to start sampling it. */
    @Override
    public void start() throws IOException {
        alignClock(ALIGN_ROUNDS);
        if (listenerPort > 0) {
            JsonNode n = get(samplesPath(Long.MAX_VALUE)); // the agent starts sampling the port on this request
            rateHz = n.path("rate_hz").asDouble(Double.NaN);
            awaitFirstSample();
        }
    }

    /**
     * A fresh agent (a new JVM in a new container) can take a while to take its first sample; a short run
     * would then have none. Wait for one before the load starts, at most {@link #FIRST_SAMPLE_WAIT_MS}.
     */
    private void awaitFirstSample() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FIRST_SAMPLE_WAIT_MS);
        while (get(samplesPath(Long.MIN_VALUE)).path("samples").isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the agent's first sample", e);
            }
        }
    }

    @Override
    public Optional<ClockAlignment> clock() {
        return Optional.ofNullable(clock);
    }

    @Override
    public double rateHz() {
        return rateHz;
    }

    @Override
    public Map<String, Object> sysinfo() throws IOException {
        return JSON.convertValue(get("/sysinfo"), new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    @Override
    public Map<String, Long> counters() throws IOException {
        return longs(get("/counters").path("counters"));
    }

    /** The agent's socket table, rows with {@code port} at either end (GET /sockets). */
    @Override
    public List<ProcNetTcp.Socket> sockets(int port) throws IOException {
        JsonNode rows = get("/sockets?port=" + port).path("sockets");
        if (!rows.isArray()) {
            throw new IOException("agent " + hostPort + " answered /sockets without a sockets list");
        }
        List<ProcNetTcp.Socket> out = new ArrayList<>(rows.size());
        for (JsonNode r : rows) {
            out.add(new ProcNetTcp.Socket(r.path(0).asText(), r.path(1).asText(), r.path(2).asInt(), r.path(3).asText(),
                    r.path(4).asInt(), r.path(5).asLong()));
        }
        return out;
    }

    @Override
    public List<String> listenersOn(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode l : listeners(port).path("listeners")) {
            out.add(l.path("local").asText());
        }
        return out;
    }

    /** Current Recv-Q/Send-Q of the agent's listeners on {@code port}. */
    public JsonNode listeners(int port) throws IOException {
        return get("/listeners?port=" + port);
    }

    @Override
    public List<Sample> samples(long sinceNanosInOurEpoch) throws IOException {
        if (listenerPort == 0) {
            throw new IllegalStateException("no listener configured: build the AgentClient with listener(port, host)");
        }
        ClockAlignment c = clock;
        if (c == null) {
            throw new IllegalStateException("start() the AgentClient first (clock not aligned)");
        }
        long agentSince = sinceNanosInOurEpoch == Long.MIN_VALUE ? Long.MIN_VALUE
                : c.toAgentNanos(sinceNanosInOurEpoch + epochNanos);
        JsonNode n = get(samplesPath(agentSince));
        rateHz = n.path("rate_hz").asDouble(rateHz);
        List<Sample> out = new ArrayList<>();
        for (JsonNode s : n.path("samples")) {
            long ours = c.toOurNanos(s.path("nanos").asLong()) - epochNanos;
            out.add(new Sample(ours, s.path("queued").asInt(-1), s.path("max").asInt(-1), longs(s.path("counters"))));
        }
        return out;
    }

    private String samplesPath(long agentSince) {
        StringBuilder p = new StringBuilder("/samples?port=").append(listenerPort);
        if (listenerHost != null) {
            p.append("&host=").append(URLEncoder.encode(listenerHost, StandardCharsets.UTF_8));
        }
        return p.append("&since=").append(agentSince).toString();
    }

    private static Map<String, Long> longs(JsonNode obj) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asLong());
        }
        return m;
    }
}
