package io.conlimit.scenario;

import io.conlimit.plan.LoadPhase;

import java.util.List;
import java.util.Locale;

/**
 * Which scenario value {@code conlimit find-limit FILE --for burst|rate|hold} varies: the first phase of
 * that kind. Each tried value becomes a {@link SetOverride} on top of the user's --set values, so a
 * find-limit run is a sequence of ordinary scenario runs chosen by a {@link KneeSearch}.
 */
public final class FindLimit {

    /** What is searched for. {@code HOLD} needs no search: one hold probe measures the limit (held_max). */
    public enum For {
        BURST, RATE, HOLD;

        public static For parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--for must be burst, rate or hold, not '" + s + "'");
            }
        }
    }

    private FindLimit() {
    }

    /** Index of the first phase the search varies. @throws IllegalArgumentException when the scenario has none */
    public static int phaseIndex(Scenario s, For what) {
        List<LoadPhase> phases = s.plan().phases();
        for (int i = 0; i < phases.size(); i++) {
            LoadPhase p = phases.get(i);
            if ((what == For.BURST && p instanceof LoadPhase.Burst) || (what == For.RATE && p instanceof LoadPhase.Rate)
                    || (what == For.HOLD && p instanceof LoadPhase.HoldProbe)) {
                return i;
            }
        }
        throw new IllegalArgumentException("--for " + what.name().toLowerCase(Locale.ROOT) + ": scenario '" + s.name()
                + "' has no " + (what == For.HOLD ? "hold" : what.name().toLowerCase(Locale.ROOT)) + " phase to vary");
    }

    /** The override that sets the searched value: {@code load[i].burst=N} or {@code load[i].rate.per-second=N}. */
    public static SetOverride override(Scenario s, For what, long value) {
        int i = phaseIndex(s, what);
        return switch (what) {
            case BURST -> new SetOverride(SetOverride.SET, "load[" + i + "].burst", Long.toString(value));
            case RATE -> new SetOverride(SetOverride.SET, "load[" + i + "].rate.per-second", Long.toString(value));
            case HOLD -> throw new IllegalArgumentException("--for hold needs no search: run the scenario once and read held_max");
        };
    }

    /** The value the scenario starts from: its burst N or rate lambda (rounded up). */
    public static long startValue(Scenario s, For what) {
        LoadPhase p = s.plan().phases().get(phaseIndex(s, what));
        if (p instanceof LoadPhase.Burst b) {
            return b.connections();
        }
        if (p instanceof LoadPhase.Rate r) {
            return (long) Math.ceil(r.perSecond());
        }
        throw new IllegalArgumentException("--for hold needs no search");
    }
}
