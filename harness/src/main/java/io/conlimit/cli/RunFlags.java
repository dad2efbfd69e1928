package io.conlimit.cli;

import io.conlimit.fleet.SourceAddresses;
import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.Probe;
import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load and client flags of {@code conlimit run} (a picocli mixin), as typed (null = not given), turned into run plans.
 * Without {@code --target} the load goes to an embedded blocking-pool (W=2, B=8, holding forever) on
 * loopback; without a load flag as well, the plans are the two-part demonstration ({@link Demo}).
 */
public final class RunFlags {
    /** The embedded demonstration target: limit W + B + 1 = 11. */
    public static final int DEMO_WORKERS = 2;
    public static final int DEMO_BACKLOG = 8;
    public static final int DEMO_BURST = Demo.BURST;

    @Mixin
    TargetOption targetOption = new TargetOption();

    @Option(names = "--burst", paramLabel = "N", description = "N connects released at the same instant.")
    Integer burst;

    @Option(names = "--rate", paramLabel = "R", description = "Open-loop arrivals, e.g. 500/s (needs --duration).")
    String rate;

    @Option(names = "--ramp", paramLabel = "A..B", description = "Arrival rate from A to B, e.g. 100/s..5000/s (needs --duration).")
    String ramp;

    @Option(names = "--duration", paramLabel = "D", description = "How long --rate or --ramp lasts, e.g. 10s.")
    String duration;

    @Option(names = "--poisson", description = "Exponential gaps (Poisson arrivals) instead of even spacing, for --rate.")
    boolean poisson;

    @Option(names = "--steps", paramLabel = "N", description = "--ramp in N equal steps instead of linearly.")
    Integer steps;

    @Option(names = "--hold-probe", description = "Open connections one at a time and keep them: finds the concurrent limit.")
    boolean holdProbe;

    @Option(names = "--gap", paramLabel = "D", description = "Hold probe: pause between connects (default 10ms).")
    String gap;

    @Option(names = "--max-held", paramLabel = "N", description = "Hold probe: stop at N held (default 10000).")
    Integer maxHeld;

    @Option(names = "--stop-after", paramLabel = "K", description = "Hold probe: stop after K consecutive failures (default 3).")
    Integer stopAfter;

    @Option(names = "--probe", paramLabel = "PROBE",
            description = "connect (default) | banner | request:TEXT[:DELIM|:N] | http[:/path] | mysql | postgres[:USER[/DB]] | "
                    + "memcached | redis | smtp | ftp. Escapes \\r \\n \\t \\\\ \\: \\xHH.")
    String probe;

    @Option(names = "--served", paramLabel = "REGEX",
            description = "request probe: the complete answer must contain a match, else error.")
    String served;

    @Option(names = "--refused", paramLabel = "REGEX",
            description = "request probe: a complete answer containing a match is app-refused.")
    String refused;

    @Option(names = "--hold", paramLabel = "0|D|until-end", description = "How long to keep each connection after its outcome (default 0).")
    String hold;

    @Option(names = "--close", paramLabel = "fin|rst", description = "Close with FIN (default) or RST (SO_LINGER 0: no TIME_WAIT).")
    String close;

    @Option(names = "--connect-timeout", paramLabel = "D", description = "No SYN-ACK by then: connect-timeout (default 3s).")
    String connectTimeout;

    @Option(names = "--response-timeout", paramLabel = "D", description = "Connected, no answer by then: connected-unserved (default 2s).")
    String responseTimeout;

    @Option(names = "--source", paramLabel = "ADDRS", description = "Local addresses, e.g. 127.0.0.1-127.0.0.8 or a,b,c (round-robin).")
    String source;

    @Option(names = "--name", paramLabel = "NAME", description = "Run name, used in the results folder name.")
    String name;


    /** {@code --target} as given, or null. */
    String target() {
        return targetOption.target;
    }

    /** The blocking-pool the demonstration (and a run without --target) uses. */
    public static ServerConfig demoServer() {
        return ServerConfig.builder(ServerKind.BLOCKING_POOL).bind("127.0.0.1").port(0).workers(DEMO_WORKERS)
                .backlog(BacklogRequest.of(DEMO_BACKLOG)).hold(new HoldSpec.Forever()).build();
    }

    /** Whether any load flag was given (else: the demonstration). */
    public boolean hasLoad() {
        return burst != null || rate != null || ramp != null || holdProbe;
    }

    /** @throws IllegalArgumentException naming the flag that is wrong */
    public List<RunPlan> toPlans() {
        checkCombinations();
        String target = target();
        TargetSpec targetSpec = target == null ? new TargetSpec.Embedded(demoServer()) : FlagParsers.target(target);
        String host = targetSpec instanceof TargetSpec.External e ? e.host() : "127.0.0.1";
        if (!hasLoad()) {
            return demo();
        }
        ClientOptions client = client(host, ClientOptions.defaults(targetSpec));
        LoadPhase phase = phase();
        return List.of(new RunPlan(name == null ? defaultName(phase) : checkedName(name), targetSpec, client, List.of(phase)));
    }

    private void checkCombinations() {
        int loads = (burst != null ? 1 : 0) + (rate != null ? 1 : 0) + (ramp != null ? 1 : 0) + (holdProbe ? 1 : 0);
        if (loads > 1) {
            throw new IllegalArgumentException("give one of --burst, --rate, --ramp, --hold-probe (a scenario file runs several phases)");
        }
        if (duration != null && rate == null && ramp == null) {
            throw new IllegalArgumentException("--duration applies to --rate and --ramp only");
        }
        if ((rate != null || ramp != null) && duration == null) {
            throw new IllegalArgumentException((rate != null ? "--rate" : "--ramp") + " needs --duration, e.g. --duration 10s");
        }
        if (poisson && rate == null) {
            throw new IllegalArgumentException("--poisson applies to --rate only");
        }
        if (steps != null && ramp == null) {
            throw new IllegalArgumentException("--steps applies to --ramp only");
        }
        if ((gap != null || maxHeld != null || stopAfter != null) && !holdProbe) {
            throw new IllegalArgumentException("--gap, --max-held and --stop-after apply to --hold-probe only");
        }
        if (!hasLoad() && target() != null) {
            throw new IllegalArgumentException("--target needs a load: --burst N, --rate R --duration D, --ramp A..B --duration D or --hold-probe");
        }
        if (!hasLoad() && (probe != null || served != null || refused != null || hold != null || close != null || connectTimeout != null
                || responseTimeout != null || source != null)) {
            throw new IllegalArgumentException("client flags (--probe, --hold, --close, timeouts, --source) need a load flag; "
                    + "without one, conlimit run runs its fixed demonstration");
        }
    }

    private ClientOptions client(String host, ClientOptions d) {
        if (probe == null && (served != null || refused != null)) {
            throw new IllegalArgumentException("--served and --refused need --probe request:TEXT[:DELIM|:N]");
        }
        Probe p = probe == null ? d.probe() : FlagParsers.probe(probe, host, served, refused);
        Duration ct = connectTimeout == null ? d.connectTimeout() : positive("--connect-timeout", connectTimeout);
        Duration rt = responseTimeout == null ? d.responseTimeout() : positive("--response-timeout", responseTimeout);
        Duration h = hold == null ? d.hold() : FlagParsers.hold(hold);
        ClientOptions.CloseMode cm = d.closeMode();
        if (close != null) {
            cm = switch (close.trim().toLowerCase(Locale.ROOT)) {
                case "fin" -> ClientOptions.CloseMode.FIN;
                case "rst" -> ClientOptions.CloseMode.RST;
                default -> throw new IllegalArgumentException("--close: use fin or rst, got '" + close + "'");
            };
        }
        List<InetAddress> src = source == null ? List.of() : SourceAddresses.parse(source);
        return new ClientOptions(p, ct, rt, h, cm, src);
    }

    private LoadPhase phase() {
        if (burst != null) {
            if (burst < 1) {
                throw new IllegalArgumentException("--burst needs at least 1 connection, got " + burst);
            }
            return new LoadPhase.Burst(burst);
        }
        if (rate != null) {
            return new LoadPhase.Rate(FlagParsers.rate("--rate", rate), positive("--duration", duration), poisson);
        }
        if (ramp != null) {
            double[] r = FlagParsers.ramp(ramp);
            int s = steps == null ? 0 : steps;
            if (s < 0) {
                throw new IllegalArgumentException("--steps must be 0 (linear) or more, got " + s);
            }
            return new LoadPhase.Ramp(r[0], r[1], positive("--duration", duration), s);
        }
        Duration g = gap == null ? Duration.ofMillis(10) : FlagParsers.duration("--gap", gap);
        int max = maxHeld == null ? 10_000 : maxHeld;
        int k = stopAfter == null ? 3 : stopAfter;
        if (max < 1) {
            throw new IllegalArgumentException("--max-held must be at least 1, got " + max);
        }
        if (k < 1) {
            throw new IllegalArgumentException("--stop-after must be at least 1, got " + k);
        }
        return new LoadPhase.HoldProbe(g, max, k);
    }

    /** The demonstration's plans ({@link Demo}: scenarios/quickstart.yaml, then the same server under a burst). */
    public static List<RunPlan> demo() {
        return Demo.scenarios().stream().map(io.conlimit.scenario.Scenario::plan).toList();
    }

    private static Duration positive(String flag, String text) {
        Duration d = FlagParsers.duration(flag, text);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(flag + " must be above 0, got " + text);
        }
        return d;
    }

    private static String checkedName(String n) {
        if (!n.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("--name: use 1-64 letters, digits, '.', '_' or '-', got '" + n + "'");
        }
        return n;
    }

    static String defaultName(LoadPhase p) {
        if (p instanceof LoadPhase.Burst b) {
            return "burst-" + b.connections();
        }
        if (p instanceof LoadPhase.Rate r) {
            return "rate-" + num(r.perSecond()) + "ps" + (r.poisson() ? "-poisson" : "");
        }
        if (p instanceof LoadPhase.Ramp r) {
            return "ramp-" + num(r.fromPerSecond()) + "-" + num(r.toPerSecond()) + "ps";
        }
        return "hold-probe";
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** The flags as given, for run.json. */
    public List<String> given() {
        List<String> out = new ArrayList<>();
        add(out, "--target", target());
        add(out, "--burst", burst);
        add(out, "--rate", rate);
        add(out, "--ramp", ramp);
        add(out, "--duration", duration);
        if (poisson) {
            out.add("--poisson");
        }
        add(out, "--steps", steps);
        if (holdProbe) {
            out.add("--hold-probe");
        }
        add(out, "--gap", gap);
        add(out, "--max-held", maxHeld);
        add(out, "--stop-after", stopAfter);
        add(out, "--probe", probe);
        add(out, "--served", served);
        add(out, "--refused", refused);
        add(out, "--hold", hold);
        add(out, "--close", close);
        add(out, "--connect-timeout", connectTimeout);
        add(out, "--response-timeout", responseTimeout);
        add(out, "--source", source);
        add(out, "--name", name);
        return out;
    }

    private static void add(List<String> out, String flag, Object v) {
        if (v != null) {
            out.add(flag);
            out.add(String.valueOf(v));
        }
    }
}
