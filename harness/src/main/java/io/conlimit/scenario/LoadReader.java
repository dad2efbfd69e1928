package io.conlimit.scenario;

import io.conlimit.plan.LoadPhase;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code load:}, a list of phases, each a mapping with exactly one of burst, rate, ramp, hold, pause, settle. */
final class LoadReader {
    static final List<String> PHASE_KINDS = List.of("burst", "rate", "ramp", "hold", "pause", "settle");
    static final List<String> RATE_KEYS = List.of("per-second", "duration", "poisson");
    static final List<String> RAMP_KEYS = List.of("from", "to", "duration", "steps");
    static final List<String> HOLD_KEYS = List.of("gap", "max-held", "stop-after");
    static final Duration DEFAULT_GAP = Duration.ofMillis(10);
    static final int DEFAULT_MAX_HELD = 1000;
    static final int DEFAULT_STOP_AFTER = 3;
    private static final String PHASE_EXPECTED = "a phase: burst: N, rate: {...}, ramp: {...}, hold: {...}, pause: DURATION or settle: MAX-DURATION";

    private LoadReader() {
    }

    static Optional<List<LoadPhase>> read(Problems p, String path, Node node) {
        if (!(node instanceof SequenceNode seq)) {
            p.at(node, path, "got " + Nodes.describe(node), "a list of phases, e.g. '- burst: 500'");
            return Optional.empty();
        }
        if (seq.getValue().isEmpty()) {
            p.at(node, path, "no phases", "at least one phase");
            return Optional.empty();
        }
        int before = p.count();
        List<LoadPhase> phases = new ArrayList<>();
        int i = 0;
        for (Node item : seq.getValue()) {
            phase(p, Nodes.index(path, i++), item).ifPresent(phases::add);
        }
        if (p.count() > before) {
            return Optional.empty();
        }
        if (phases.stream().noneMatch(LoadPhase::opensConnections)) {
            p.at(node, path, "only pauses and settles", "at least one burst, rate, ramp or hold phase");
            return Optional.empty();
        }
        return Optional.of(phases);
    }

    private static Optional<LoadPhase> phase(Problems p, String path, Node item) {
        if (item instanceof MappingNode m && m.getValue().size() > 1) {
            List<String> keys = new ArrayList<>();
            m.getValue().forEach(t -> keys.add(Nodes.describe(t.getKeyNode())));
            p.at(item, path, "one phase with " + keys.size() + " kinds " + String.join(", ", keys)
                    + " (write each as its own '- ' item)", PHASE_EXPECTED);
            return Optional.empty();
        }
        if (!(item instanceof MappingNode) || ((MappingNode) item).getValue().isEmpty()) {
            p.at(item, path, "got " + Nodes.describe(item), PHASE_EXPECTED);
            return Optional.empty();
        }
        Optional<MapReader> mr = MapReader.of(p, path, item, PHASE_KINDS);
        if (mr.isEmpty()) {
            return Optional.empty();
        }
        MapReader m = mr.get();
        if (m.written("burst")) {
            return m.has("burst") ? m.integer("burst", 1, Integer.MAX_VALUE).map(LoadPhase.Burst::new)
                    : missingValue(m, "burst", "a number of connections");
        }
        if (m.written("pause")) {
            return m.has("pause") ? m.duration("pause").map(LoadPhase.Pause::new)
                    : missingValue(m, "pause", Values.DURATION_FORMS);
        }
        if (m.written("settle")) {
            return m.has("settle") ? positiveDuration(m, "settle").map(LoadPhase.Settle::new)
                    : missingValue(m, "settle", "the longest wait, e.g. 5s (until every earlier connection has its outcome)");
        }
        if (m.written("rate")) {
            return rate(p, m.pathOf("rate"), m.value("rate"));
        }
        if (m.written("ramp")) {
            return ramp(p, m.pathOf("ramp"), m.value("ramp"));
        }
        if (m.written("hold")) {
            return hold(p, m.pathOf("hold"), m.value("hold"));
        }
        return Optional.empty(); // unknown kind, reported by MapReader
    }

    private static Optional<LoadPhase> missingValue(MapReader m, String key, String expected) {
        m.problems().at(m.value(key), m.pathOf(key), "no value", expected);
        return Optional.empty();
    }

    private static Optional<LoadPhase> rate(Problems p, String path, Node node) {
        Optional<MapReader> mr = MapReader.of(p, path, node, RATE_KEYS);
        if (mr.isEmpty()) {
            return Optional.empty();
        }
        MapReader m = mr.get();
        int before = p.count();
        requireAll(m, "per-second", "duration");
        Optional<Double> perSecond = m.number("per-second", 0, true);
        Optional<Duration> duration = positiveDuration(m, "duration");
        boolean poisson = m.bool("poisson").orElse(false);
        if (p.count() > before) {
            return Optional.empty();
        }
        String problem = LoadPhase.rateProblem(perSecond.orElseThrow(), perSecond.orElseThrow(), duration.orElseThrow());
        if (problem != null) {
            p.at(m.value("per-second"), m.pathOf("per-second"), problem, "at most " + (long) LoadPhase.MAX_RATE + "/s, and rate x duration at most "
                    + (long) LoadPhase.MAX_PHASE_CONNECTIONS + " connections");
            return Optional.empty();
        }
        return Optional.of(new LoadPhase.Rate(perSecond.orElseThrow(), duration.orElseThrow(), poisson));
    }

    private static Optional<LoadPhase> ramp(Problems p, String path, Node node) {
        Optional<MapReader> mr = MapReader.of(p, path, node, RAMP_KEYS);
        if (mr.isEmpty()) {
            return Optional.empty();
        }
        MapReader m = mr.get();
        int before = p.count();
        requireAll(m, "from", "to", "duration");
        Optional<Double> from = m.number("from", 0, false);
        Optional<Double> to = m.number("to", 0, true);
        Optional<Duration> duration = positiveDuration(m, "duration");
        int steps = m.integer("steps", 0, Integer.MAX_VALUE).orElse(0);
        if (p.count() > before) {
            return Optional.empty();
        }
        String problem = LoadPhase.rateProblem(Math.max(from.orElseThrow(), to.orElseThrow()),
                (from.orElseThrow() + to.orElseThrow()) / 2, duration.orElseThrow());
        if (problem != null) {
            String key = from.orElseThrow() > to.orElseThrow() ? "from" : "to";
            p.at(m.value(key), m.pathOf(key), problem, "at most " + (long) LoadPhase.MAX_RATE + "/s, and rate x duration at most "
                    + (long) LoadPhase.MAX_PHASE_CONNECTIONS + " connections");
            return Optional.empty();
        }
        return Optional.of(new LoadPhase.Ramp(from.orElseThrow(), to.orElseThrow(), duration.orElseThrow(), steps));
    }

    private static Optional<LoadPhase> hold(Problems p, String path, Node node) {
        Optional<MapReader> mr = MapReader.of(p, path, node, HOLD_KEYS);
        if (mr.isEmpty()) {
            return Optional.empty();
        }
        MapReader m = mr.get();
        int before = p.count();
        Duration gap = m.duration("gap").orElse(DEFAULT_GAP);
        int maxHeld = m.integer("max-held", 1, Integer.MAX_VALUE).orElse(DEFAULT_MAX_HELD);
        int stopAfter = m.integer("stop-after", 1, Integer.MAX_VALUE).orElse(DEFAULT_STOP_AFTER);
        if (p.count() > before) {
            return Optional.empty();
        }
        return Optional.of(new LoadPhase.HoldProbe(gap, maxHeld, stopAfter));
    }

    private static void requireAll(MapReader m, String... keys) {
        for (String k : keys) {
            if (!m.has(k)) {
                m.missing(k, null);
            }
        }
    }

    private static Optional<Duration> positiveDuration(MapReader m, String key) {
        Optional<Duration> d = m.duration(key);
        if (d.isPresent() && (d.get().isZero() || d.get().isNegative())) {
            m.problems().at(m.value(key), m.pathOf(key), "must be above 0", Values.DURATION_FORMS);
            return Optional.empty();
        }
        return d;
    }
}
