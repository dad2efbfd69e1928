package io.conlimit.theory;

import io.conlimit.plan.ClientOptions;
import io.conlimit.plan.LoadPhase;
import io.conlimit.plan.RunPlan;
import io.conlimit.plan.TargetSpec;
import io.conlimit.scenario.Scenario;
import io.conlimit.scenario.ScenarioLoader;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.conlimit.theory.Models.LINEAR4;
import static io.conlimit.theory.Models.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictorTest {
    static RunPlan plan(LoadPhase... phases) {
        return new RunPlan("t", new TargetSpec.External("127.0.0.1", 1, null, null),
                new ClientOptions(new io.conlimit.plan.Probe.Connect(), Duration.ofSeconds(3), Duration.ofSeconds(2), null,
                        ClientOptions.CloseMode.FIN, List.of()), List.of(phases));
    }

    static Prediction predict(ServiceModel m, LoadPhase... phases) {
        return Predictor.predict(m, plan(phases), LINEAR4, 20_000, Duration.ZERO);
    }

    static final LoadPhase.HoldProbe PROBE = new LoadPhase.HoldProbe(ms(20), 100, 3);

    @Test
    void holdProbeBacklogBinds() {
        Prediction p = predict(Models.pool(2, 8, null), PROBE);
        assertEquals("held_max", p.quantity());
        assertEquals(11L, p.predicted());
        assertEquals(BindingLimit.BACKLOG, p.binding());
        assertEquals("Binding limit: the listen backlog: 2 workers hold their connections for ever and the accept queue holds"
                + " B + 1 = 9 more, so W + B + 1 = 11 connections complete the handshake and further SYNs are dropped.", p.sentence());
    }

    @Test
    void holdProbeWorkersBindWhenTheyOutnumberTheQueue() {
        Prediction p = predict(Models.threadPool(16, 4, 8, null), PROBE);
        assertEquals(29L, p.predicted());
        assertEquals(BindingLimit.WORKERS, p.binding());
        assertTrue(p.sentence().startsWith("Binding limit: the workers: 16 workers and a hand-off queue of 4 hold their connections for ever"), p.sentence());
        assertTrue(p.sentence().contains("W + Q + B + 1 = 29"), p.sentence());
    }

    @Test
    void somaxconnClamp() {
        Prediction p = predict(new ServiceModel(ServerKind.BLOCKING_POOL, 1, 0, 128, 4096, 128, null, null),
                new LoadPhase.HoldProbe(ms(2), 1000, 3));
        assertEquals(130L, p.predicted());
        assertEquals(BindingLimit.SOMAXCONN_CLAMP, p.binding());
        assertTrue(p.sentence().startsWith("Binding limit: the somaxconn clamp: listen() asked for 4096 but net.core.somaxconn = 128"
                + " silently cut the backlog to B = 128;"), p.sentence());
    }

    @Test
    void clientBindsWhenTheProbeStopsFirst() {
        Prediction p = predict(Models.pool(2, 8, null), new LoadPhase.HoldProbe(ms(20), 5, 3));
        assertEquals(5L, p.predicted());
        assertEquals(BindingLimit.CLIENT, p.binding());
        assertEquals("Binding limit: the client itself: the probe stops at max-held = 5, below the server's W + B + 1 = 11.", p.sentence());
        Prediction fds = Predictor.predict(Models.pool(2, 500, null), plan(new LoadPhase.HoldProbe(ms(1), 1000, 3)),
                LINEAR4, 300, Duration.ZERO);
        assertEquals(236L, fds.predicted(), "open-file limit 300 minus the 64 the client needs besides");
        assertEquals(BindingLimit.CLIENT, fds.binding());
    }

    @Test
    void holdProbeAgainstServersWithoutAFixedLimit() {
        Prediction shortHold = predict(Models.pool(2, 8, ms(50)), PROBE);
        assertEquals(BindingLimit.SERVICE_RATE, shortHold.binding());
        assertNull(shortHold.predicted());
        Prediction el = predict(Models.eventLoop(128), PROBE);
        assertEquals(BindingLimit.CLIENT, el.binding());
        assertEquals(100L, el.predicted(), "event-loop takes all: the probe's max-held");
        Prediction sleepy = predict(Models.sleepy(ms(100), 8), PROBE);
        assertEquals(BindingLimit.SERVICE_RATE, sleepy.binding());
        assertNull(sleepy.predicted());
    }

    @Test
    void externalServerInfersW() {
        Prediction p = predict(ServiceModel.external(8, 4096), PROBE);
        assertNull(p.predicted());
        assertEquals("W unknown: the external server's workers will be inferred from the measurement: W = served_max when the probe sees the application answer, else W = held - B - 1 with B = 8.", p.sentence());
        Prediction after = p.withMeasuredLimit(14);
        assertEquals(5, after.inferredWorkers());
        assertNull(after.predicted(), "an inference is not a prediction");
        assertEquals(BindingLimit.BACKLOG, after.binding());
        assertEquals("W unknown, so inferred from the connections held (held = W + B + 1): W = held - B - 1 = 14 - 8 - 1 = 5; binding limit: the listen backlog.",
                after.sentence());
        assertEquals(BindingLimit.NONE, p.withMeasuredLimit(4).binding(), "fewer than B + 1: not the backlog");
        Prediction known = predict(Models.pool(2, 8, null), PROBE);
        assertEquals(known, known.withMeasuredLimit(14), "W known: nothing to infer");
    }

    @Test
    void burst() {
        Prediction p = Predictor.predict(Models.pool(4, 32, ms(700)), planWithTimeout(Duration.ofSeconds(4), new LoadPhase.Burst(300)),
                LINEAR4, 20_000, Duration.ZERO);
        assertEquals("admitted_at_once", p.quantity());
        assertEquals(37L, p.predicted());
        assertEquals(BindingLimit.BACKLOG, p.binding());
        assertEquals("Binding limit: the listen backlog: a burst of 300 finds B + 1 = 33 queue slots and 4 idle workers, so about 37 connect"
                + " at once and the other 263 wait for SYN retransmits (4 at 1s, 4 at 2s, 8 at 3s), 247 of them time out after 4s;"
                + " more workers would not change this, a larger backlog would.", p.sentence());
        Map<String, Object> json = p.toJson();
        assertEquals("backlog", json.get("binding"));
        @SuppressWarnings("unchecked")
        Map<String, Object> burst = (Map<String, Object>) json.get("burst");
        assertEquals(37, burst.get("admitted_at_once"));
        assertEquals(List.of(Map.of("at_ms", 1000L, "count", 4), Map.of("at_ms", 2000L, "count", 4), Map.of("at_ms", 3000L, "count", 8)),
                burst.get("clusters"));
        assertEquals(247, burst.get("connect_timeouts"));
        assertEquals(NONE_FITS, predict(Models.pool(4, 32, ms(700)), new LoadPhase.Burst(20)).binding());
        assertEquals(BindingLimit.NONE, predict(Models.eventLoop(8), new LoadPhase.Burst(5000)).binding());
        assertEquals(5000L, predict(Models.eventLoop(8), new LoadPhase.Burst(5000)).predicted());
        assertNull(predict(Models.pool(4, 8, Duration.ZERO), new LoadPhase.Burst(100)).predicted(), "hold 0: not modelled");
        assertEquals(BindingLimit.CLIENT, Predictor.predict(Models.pool(4, 8, null), plan(new LoadPhase.Burst(25_000)), LINEAR4, 20_000,
                Duration.ZERO).binding(), "holding 25,000 connections needs more than 20,000 files");
    }

    static final BindingLimit NONE_FITS = BindingLimit.NONE;

    static RunPlan planWithTimeout(Duration timeout, LoadPhase... phases) {
        return new RunPlan("t", new TargetSpec.External("127.0.0.1", 1, null, null),
                new ClientOptions(new io.conlimit.plan.Probe.Connect(), timeout, Duration.ofSeconds(2), null,
                        ClientOptions.CloseMode.FIN, List.of()), List.of(phases));
    }

    @Test
    void rate() {
        Prediction p = predict(Models.pool(4, 64, ms(100)), new LoadPhase.Rate(100, Duration.ofSeconds(10), false));
        assertNull(p.quantity());
        assertEquals(BindingLimit.SERVICE_RATE, p.binding());
        assertEquals("Binding limit: the service rate: lambda = 100/s exceeds mu = W / mean hold = 4 / 100ms = 40/s, so the accept"
                + " queue is full after about 1.12 s and then about 60 new SYNs/s are dropped (plus their retransmits).", p.sentence());
        assertEquals(BindingLimit.NONE, predict(Models.pool(4, 64, ms(100)), new LoadPhase.Rate(30, Duration.ofSeconds(10), false)).binding());
        assertEquals(BindingLimit.BACKLOG, predict(Models.pool(2, 8, null), new LoadPhase.Rate(10, Duration.ofSeconds(5), false)).binding(),
                "mu = 0: the concurrent limit binds");
        Prediction poisson = predict(Models.pool(4, 64, ms(100)), new LoadPhase.Rate(100, Duration.ofSeconds(10), true));
        assertTrue(poisson.notes().get(0).startsWith("Poisson arrivals"));
    }

    @Test
    void rampAndMultiPhaseNotes() {
        Prediction p = predict(Models.pool(4, 64, ms(100)), new LoadPhase.Pause(ms(500)),
                new LoadPhase.Ramp(0, 100, Duration.ofSeconds(10), 0), new LoadPhase.Burst(10));
        assertEquals(1, p.phaseIndex(), "the first phase that is not a pause");
        assertEquals(BindingLimit.SERVICE_RATE, p.binding());
        assertEquals("Binding limit: the service rate: the ramp passes mu = W / mean hold = 4 / 100ms = 40/s at about 4 s and the"
                + " accept queue is full at about 7.61 s, after which SYNs are dropped.", p.sentence());
        assertEquals(List.of("predicted for phase 1 only; the run has 2 load phases and its totals mix them (phases[1] in"
                + " summary.json holds that phase's own counts)"), p.notes());
    }

    /**
     * The demonstration's burst run: 4 connections occupy the workers of a pool that holds for ever, a settle, then a
     * burst of 100 finds the accept queue alone: B + 1 = 17 at once, nothing freed later, 83 time out.
     */
    @Test
    void aBurstAfterSettledPhasesFindsOnlyWhatTheyLeftFree() {
        Duration timeout = Duration.ofMillis(3500);
        Prediction p = Predictor.predict(Models.pool(4, 16, null), planWithTimeout(timeout, new LoadPhase.Burst(4),
                new LoadPhase.Settle(Duration.ofSeconds(2)), new LoadPhase.Burst(100)), LINEAR4, 20_000, Duration.ZERO);
        assertEquals(2, p.phaseIndex());
        assertEquals(17L, p.predicted());
        assertEquals(83, p.burst().timeouts());
        assertEquals(List.of(), p.burst().clusters());
        assertEquals(BindingLimit.BACKLOG, p.binding());
        assertEquals("Binding limit: the listen backlog: the server still holds the 4 connections of the earlier phases (4 workers busy);"
                + " a burst of 100 finds B + 1 = 17 queue slots, so about 17 connect at once and the other 83 wait for SYN"
                + " retransmits, 83 of them time out after 3500ms; more workers would not change this, a larger backlog would.", p.sentence());
        // 10 first: 4 workers busy and 6 queued, so 11 queue slots are left
        Prediction ten = Predictor.predict(Models.pool(4, 16, null), planWithTimeout(timeout, new LoadPhase.Burst(10),
                new LoadPhase.Settle(Duration.ofSeconds(2)), new LoadPhase.Burst(100)), LINEAR4, 20_000, Duration.ZERO);
        assertEquals(11L, ten.predicted());
        assertTrue(ten.sentence().contains("(4 workers busy, 6 in the accept queue); a burst of 100 finds 11 free queue slots"
                + " (B + 1 = 17, 6 taken)"), ten.sentence());
        // a hold probe first fills everything
        assertEquals(0L, Predictor.predict(Models.pool(4, 16, null), planWithTimeout(timeout, PROBE,
                new LoadPhase.Settle(Duration.ofSeconds(2)), new LoadPhase.Burst(100)), LINEAR4, 20_000, Duration.ZERO).predicted());
        // without a settle, or against a server that frees its workers, the earlier phase is not modelled: phase 0 is predicted
        assertEquals(0, Predictor.predict(Models.pool(4, 16, null), planWithTimeout(timeout, new LoadPhase.Burst(4),
                new LoadPhase.Burst(100)), LINEAR4, 20_000, Duration.ZERO).phaseIndex());
        assertEquals(0, Predictor.predict(Models.pool(4, 16, ms(700)), planWithTimeout(timeout, new LoadPhase.Burst(4),
                new LoadPhase.Settle(Duration.ofSeconds(2)), new LoadPhase.Burst(100)), LINEAR4, 20_000, Duration.ZERO).phaseIndex());
    }

    /** The shipped scenarios' comments and expectations state these numbers: the theory must agree with them. */
    @Test
    void shippedScenariosFollowTheTheory() {
        assertEquals(21L, fromScenario("quickstart.yaml", 4096).predicted());
        assertEquals(11L, fromScenario("workers-plus-backlog.yaml", 4096).predicted());
        assertEquals(37L, fromScenario("backlog-only-burst.yaml", 4096).predicted());
        assertEquals(130L, fromScenario("somaxconn-clamp.yaml", 128).predicted());
        assertEquals(BindingLimit.SOMAXCONN_CLAMP, fromScenario("somaxconn-clamp.yaml", 128).binding());
        Prediction sf = fromScenario("serverfault-somaxconn.yaml", 128);
        assertEquals(137L, sf.predicted());
        assertEquals(583, sf.burst().timeouts());
        assertEquals(1000L, fromScenario("serverfault-somaxconn.yaml", 4096).predicted(), "with somaxconn 4096 all 1000 fit");
        Prediction rate = fromScenario("arrival-rate-overload.yaml", 4096);
        assertEquals(1.12, Predictor.round2(rate.rate().fullAfterS()));
        assertEquals(469, rate.rate().admittedLow());
        assertEquals(589, rate.rate().admittedHigh());
        assertEquals(6L, fromScenario("fail-fast.yaml", 4096).predicted(), "W + B + 1 = 1 + 4 + 1 at once");
    }

    private static Prediction fromScenario(String file, int somaxconn) {
        Scenario s = ScenarioLoader.load(Path.of("../scenarios", file), List.of());
        ServerConfig c = ((TargetSpec.Embedded) s.plan().target()).server();
        int b = c.backlog().expectedEffective(somaxconn);
        return Predictor.predict(ServiceModel.of(c, b, somaxconn), s.plan(), LINEAR4, 20_000, Duration.ZERO);
    }
}
