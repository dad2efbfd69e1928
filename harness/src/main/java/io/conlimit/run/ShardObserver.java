package io.conlimit.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.evidence.AgentClient;
import io.conlimit.expect.Expectation;
import io.conlimit.plan.RunPlan;
import io.conlimit.shard.ClockCheck;
import io.conlimit.shard.PhaseCodec;
import io.conlimit.shard.Shard;
import io.conlimit.shard.StartAt;
import io.conlimit.target.Durations;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A shard of a fleet (or a run with a start instant): before the load it measures this machine's clock against
 * the agent's (when one is given); {@link #awaitStart} holds the first phase until the start instant; after the
 * run it puts the {@code shard} section into summary.json: which part of which load, the start instant, when this
 * shard really released its first phase and made its first connect(), whether it was late, and the clock check.
 * The section also carries the whole load (phases and expectations) so {@code conlimit merge} can predict and
 * check for the whole fleet.
 */
public final class ShardObserver implements RunObserver {
    private static final int CLOCK_ROUNDS = 8;

    private final Shard shard;
    private final Instant startAt;
    private final String agent;
    private final String agentToken;
    private final RunPlan whole;
    private final List<Expectation> wholeExpectations;
    private final long lateThresholdNanos;
    private ClockCheck clock;
    /** The run's console (set before the load), for the wait's notice; null before. */
    private java.io.PrintStream console;
    private java.io.PrintStream notices;
    private String clockProblem;
    private long waitBeganWall = -1;
    private long releasedWall = -1;
    private long releasedNano = -1;

    /**
     * @param shard              this run's part (0/1 for a whole run with a start instant)
     * @param startAt            the common start, or null (start at once)
     * @param agent              the agent's HOST:PORT whose clock is the reference, or null
     * @param whole              the unsharded plan
     * @param wholeExpectations  the scenario's expectations, checked on the merged folder
     * @param lateThresholdNanos a release later than this after the instant makes the shard late
     */
    public ShardObserver(Shard shard, Instant startAt, String agent, String agentToken, RunPlan whole,
                         List<Expectation> wholeExpectations, long lateThresholdNanos) {
        this.shard = shard;
        this.startAt = startAt;
        this.agent = agent;
        this.agentToken = agentToken;
        this.whole = whole;
        this.wholeExpectations = List.copyOf(wholeExpectations);
        this.lateThresholdNanos = lateThresholdNanos;
    }

    @Override
    public void beforeLoad(ObservedRun ctx) {
        console = ctx.out();
        notices = ctx.err();
        if (agent == null) {
            clockProblem = "no agent given: this machine's clock is taken as it is (keep the client machines' clocks in sync, e.g. NTP)";
            return;
        }
        try (AgentClient client = AgentClient.builder(agent).token(agentToken).build()) {
            clock = ClockCheck.measure(agent, () -> ClockCheck.agentWallNanos(client.get("/clock")), CLOCK_ROUNDS);
        } catch (IOException | RuntimeException e) {
            clockProblem = "could not read the agent's clock: " + e.getMessage() + "; this machine's clock is taken as it is";
            ctx.err().println("shard " + shard + ": " + clockProblem);
        }
    }

    private String timesOn() {
        return clock != null ? "the agent's clock (" + agent + ")" : "this machine's clock";
    }

    private long offset() {
        return clock == null ? 0 : clock.offsetNanos();
    }

    /**
     * Blocks until the start instant (on the agent's clock when measured), then returns; at once without one. Says
     * first how long it will wait (the progress lines count nothing meanwhile), or that the instant has passed.
     */
    public void awaitStart() {
        waitBeganWall = StartAt.wallNanos();
        if (startAt != null) {
            long left = StartAt.epochNanos(startAt) - (waitBeganWall + offset());
            if (left > 0 && console != null) {
                console.println("shard " + shard + ": waiting for the start instant " + startAt + " (in "
                        + Durations.human(left) + ", on " + timesOn() + ")");
            } else if (left <= 0 && notices != null) {
                notices.println("shard " + shard + ": the start instant " + startAt + " passed " + Durations.human(-left)
                        + " ago: this shard starts at once, recorded as late");
            }
            try {
                StartAt.awaitWall(StartAt.epochNanos(startAt), offset());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        releasedNano = System.nanoTime();
        releasedWall = StartAt.wallNanos();
    }

    @Override
    public void annotate(ObjectNode summary, ObservedRun ctx) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", shard.index());
        m.put("count", shard.count());
        m.put("times_on", timesOn());
        m.put("start_at", startAt == null ? null : startAt.toString());
        long off = offset();
        Long release = releasedWall < 0 ? null : releasedWall + off;
        m.put("released_utc", release == null ? null : iso(release));
        Long launch = null;
        Double firstCallMs = firstCallMs(ctx.folder());
        if (firstCallMs != null && releasedNano >= 0) {
            long callNano = ctx.epochNanos() + Math.round(firstCallMs * 1e6);
            launch = releasedWall + (callNano - releasedNano) + off;
        }
        m.put("launch_utc", launch == null ? null : iso(launch));
        m.put("launch_unix_ns", launch);
        String late = null;
        if (startAt != null && release != null) {
            long at = StartAt.epochNanos(startAt);
            m.put("release_after_start_ms", (release - at) / 1e6);
            m.put("launch_after_start_ms", launch == null ? null : (launch - at) / 1e6);
            if (waitBeganWall + off > at) {
                long passed = waitBeganWall + off - at;
                late = passed < 10_000_000_000L
                        ? String.format(java.util.Locale.ROOT, "the start instant had passed %.3f ms before this shard was ready to release its load", passed / 1e6)
                        : "the start instant had passed " + Durations.human(passed) + " before this shard was ready to release its load";
            } else if (release - at > lateThresholdNanos) {
                late = String.format(java.util.Locale.ROOT, "released %.3f ms after the start instant (late threshold %.3f ms)",
                        (release - at) / 1e6, lateThresholdNanos / 1e6);
            }
        } else {
            m.put("release_after_start_ms", null);
            m.put("launch_after_start_ms", null);
        }
        m.put("late", late != null);
        m.put("late_reason", late);
        if (clock != null) {
            m.put("clock", clock.toJson());
        } else {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("against", null);
            c.put("offset_ms", null);
            c.put("uncertainty_ms", null);
            c.put("rounds", 0);
            c.put("reason", clockProblem);
            m.put("clock", c);
        }
        m.put("client_namespace", clientNamespace());
        m.put("whole_phases", whole.phases().stream().map(PhaseCodec::toJson).toList());
        m.put("whole_expectations", wholeExpectations.stream().map(Expectation::text).toList());
        summary.set("shard", new ObjectMapper().valueToTree(m));

        ctx.out().println();
        ctx.out().println("shard " + shard + (startAt == null ? ", started at once"
                : ", start instant " + startAt + ": released " + fmt(m.get("release_after_start_ms"))
                + " ms after it, first connect() " + fmt(m.get("launch_after_start_ms")) + " ms after it")
                + " (" + m.get("times_on") + (clock != null ? String.format(java.util.Locale.ROOT, ", offset %+.3f ms ± %.3f ms",
                clock.offsetNanos() / 1e6, clock.uncertaintyNanos() / 1e6) : "") + ")");
        if (late != null) {
            ctx.err().println("shard " + shard + ": LATE: " + late + "; the fleet's shards did not start together");
        }
        if (!shard.whole()) {
            ctx.out().println("shard " + shard + ": the scenario's expectations are about the whole load: conlimit merge checks them on the merged folder");
        }
    }

    private static String fmt(Object ms) {
        return ms == null ? "?" : String.format(java.util.Locale.ROOT, "%.3f", (Double) ms);
    }

    /**
     * This client's machine and network namespace ("host net:[inode]"): shards that share one see each other's
     * connections in their socket census, so merge does not add those up.
     */
    static String clientNamespace() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
        }
        try {
            return host + " " + Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
        } catch (IOException | UnsupportedOperationException e) {
            return host + " (network namespace unknown)";
        }
    }

    static String iso(long unixNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(unixNanos, 1_000_000_000L), Math.floorMod(unixNanos, 1_000_000_000L)).toString();
    }

    /** The earliest connect() call (ms from the run's epoch) in connections.csv(.gz), or null. */
    static Double firstCallMs(Path folder) {
        Path csv = folder.resolve("connections.csv");
        boolean gz = false;
        if (!Files.exists(csv)) {
            csv = folder.resolve("connections.csv.gz");
            gz = true;
        }
        if (!Files.exists(csv)) {
            return null;
        }
        try (InputStream raw = Files.newInputStream(csv);
             BufferedReader r = new BufferedReader(new InputStreamReader(gz ? new GZIPInputStream(raw) : raw, StandardCharsets.UTF_8))) {
            String header = r.readLine();
            if (header == null) {
                return null;
            }
            int col = List.of(header.split(",", -1)).indexOf("connect_call_ms");
            Double best = null;
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split(",", col + 2);
                if (f.length > col && !f[col].isEmpty()) {
                    double v = Double.parseDouble(f[col]);
                    best = best == null ? v : Math.min(best, v);
                }
            }
            return best;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
