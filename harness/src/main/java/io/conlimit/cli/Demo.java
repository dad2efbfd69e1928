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
 * is quickstart.yaml as it is (spread-out arrivals: W + B + 1 = 4 + 16 + 1 = 21 held), then the same file
 * with {@link #BURST_OVERRIDES} (a burst of 100 at one instant against a fresh such server: B + 1 + W = 21 get in
 * at once, the rest are dropped by the full accept queue and retransmit their SYNs at 1, 2 and 3 s until the
 * 3.5 s connect timeout), each with its own results folder, prediction and expectations.
 */
public final class Demo {
    /** The classpath resource holding scenarios/quickstart.yaml. */
    public static final String RESOURCE = "/scenarios/quickstart.yaml";
    public static final int BURST = 100;

    /**
     * quickstart.yaml turned into the burst run. A few clients more than B + 1 + W may believe they are
     * connected: their final ACK reached a full queue and was dropped (tcp_abort_on_overflow = 0), so they
     * count as connected at once although the server never queued them; hence the tolerance.
     */
    static final List<SetOverride> BURST_OVERRIDES = List.of(
            new SetOverride(SetOverride.SET, "name", "quickstart-burst"),
            new SetOverride(SetOverride.SET, "description",
                    "'Burst of " + BURST + " against blocking-pool W=4 B=16 - B + 1 + W = 21 at once, the rest on SYN retransmits.'"),
            new SetOverride(SetOverride.SET, "client.connect-timeout", "3500ms"),
            new SetOverride(SetOverride.SET, "load", "[{burst: " + BURST + "}]"),
            new SetOverride(SetOverride.SET, "expect", "['limit.measured == limit.predicted ± 3', 'outcomes.connect-timeout >= 70',"
                    + " 'syn_retransmits.connections_with_retransmits >= 70', 'outcomes.refused == 0']"));

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
