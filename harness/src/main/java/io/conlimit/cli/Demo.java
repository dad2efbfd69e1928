package io.conlimit.cli;

import io.conlimit.scenario.Scenario;
import io.conlimit.scenario.ScenarioLoader;
import io.conlimit.scenario.SetOverride;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code conlimit run} without arguments: scenarios/quickstart.yaml (bundled in the jar, copied from the
 * repository's file at build time so the two cannot differ), then the same server hit by a simultaneous burst.
 *
 * <p>Why two runs: the two regimes cannot be shown by one run against one server. quickstart's server holds
 * every connection for ever, so after the hold probe it stays full and a burst would find no room at all;
 * and summary.json's totals (and so the expectations) cover a whole run, not one phase. So the demonstration
 * is quickstart.yaml as it is (spread-out arrivals: W + B + 1 = 4 + 16 + 1 = 21 held, of which the 4 workers
 * serve 4), then the same file with {@link #BURST_OVERRIDES} (a burst of 100 at one instant against a fresh such
 * server: B + 1 + W = 21 get in at once, the rest are dropped by the full accept queue and retransmit their SYNs
 * at 1, 2 and 3 s until the 3.5 s connect timeout), each with its own results folder, prediction and
 * expectations. Both use the banner probe (the target greets every connection a worker takes), so {@code ok}
 * counts served connections, and the socket census checks every held connection against the server's own
 * table. Both runs take about 15 s together.
 */
public final class Demo {
    /** The classpath resource holding scenarios/quickstart.yaml. */
    public static final String RESOURCE = "/scenarios/quickstart.yaml";
    public static final int BURST = 100;

    /**
     * quickstart.yaml turned into the burst run. What this kernel does (checked run by run, the same counts five
     * runs in a row): the accept queue takes B + 1 = 17 and the 4 idle workers take 4 more while the burst
     * arrives, so 21 connect at once: the workers greet 4 (ok), 17 wait in the queue unserved
     * (connected-unserved); the other 79 SYNs are dropped, nothing is freed later (hold forever), so they
     * retransmit at 1, 2, 3 s and time out at 3.5 s (ListenOverflows + 79 x 4). The server ends with exactly
     * W + B + 1 = 21 sockets, which the census checks. Should the burst outrun the workers' first accept(), only
     * 17 get in at once, the workers free 4 slots, and at the 1 s retry a cluster of SYNs is answered whose
     * final ACKs the full queue drops: those clients are phantoms, and the census counts them (the
     * expectations hold then too, and the summary says why the split moved).
     */
    static final List<SetOverride> BURST_OVERRIDES = List.of(
            new SetOverride(SetOverride.SET, "name", "quickstart-burst"),
            new SetOverride(SetOverride.SET, "description",
                    "'Burst of " + BURST + " against blocking-pool W=4 B=16 - B + 1 + W = 21 at once, the rest on SYN retransmits.'"),
            new SetOverride(SetOverride.SET, "client.connect-timeout", "3500ms"),
            new SetOverride(SetOverride.SET, "load", "[{burst: " + BURST + "}]"),
            new SetOverride(SetOverride.SET, "expect", "['outcomes.ok == 4', 'server_sockets.server_has == 21',"
                    + " 'limit.measured >= 17', 'limit.measured <= 21', 'outcomes.connect-timeout <= 79',"
                    + " 'outcomes.refused == 0']"));

    private Demo() {
    }

    /** The text of the bundled quickstart.yaml. */
    public static String quickstartYaml() {
        try (InputStream in = Demo.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("quickstart.yaml is not bundled at " + RESOURCE + " (build with ./mvnw package)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The two scenarios of the demonstration: quickstart (hold probe), then quickstart-burst. */
    public static List<Scenario> scenarios() {
        String yaml = quickstartYaml();
        return List.of(ScenarioLoader.parse("quickstart.yaml", yaml, List.of()),
                ScenarioLoader.parse("quickstart.yaml", yaml, BURST_OVERRIDES));
    }
}
