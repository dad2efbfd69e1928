package io.conlimit.scenario;

import io.conlimit.plan.TargetSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SweepPlanTest {

    @Test
    void cartesianProductFirstVaryChangesSlowest() {
        SweepPlan p = SweepPlan.parse(List.of("server.backlog=8,128,4096", "server.workers=1,4"));
        assertEquals(6, p.size());
        assertEquals(List.of("backlog=8 workers=1", "backlog=8 workers=4", "backlog=128 workers=1",
                "backlog=128 workers=4", "backlog=4096 workers=1", "backlog=4096 workers=4"),
                p.cells().stream().map(SweepPlan.Cell::label).toList());
        assertEquals(List.of(new SetOverride(SetOverride.VARY, "server.backlog", "128"),
                new SetOverride(SetOverride.VARY, "server.workers", "4")), p.cells().get(3).overrides());
        assertEquals(3, p.cells().get(3).index());
    }

    @Test
    void sysctlLabelsKeepTheWholeName() {
        SweepPlan p = SweepPlan.parse(List.of("lab.server.sysctls.net.core.somaxconn=128,4096"));
        assertEquals(List.of("net.core.somaxconn=128", "net.core.somaxconn=4096"),
                p.cells().stream().map(SweepPlan.Cell::label).toList());
    }

    @Test
    void clashingShortNamesUseFullPaths() {
        SweepPlan p = SweepPlan.parse(List.of("target.embedded.port=1,2", "target.port=3"));
        assertEquals("target.embedded.port=1 target.port=3", p.cells().get(0).label());
    }

    @Test
    void valuesSplitOutsideBracketsAndQuotes() {
        assertEquals(List.of("[a,b]", "{x: 1, y: 2}", "'c,d'", "e"), SweepPlan.splitValues("[a,b],{x: 1, y: 2},'c,d',e"));
    }

    @Test
    void everyCellAppliesToTheScenario() {
        Path f = Path.of("../scenarios/workers-plus-backlog.yaml");
        SweepPlan p = SweepPlan.parse(List.of("server.backlog=8,16", "server.workers=1,3"));
        List<Integer> seen = new ArrayList<>();
        for (SweepPlan.Cell c : p.cells()) {
            Scenario s = ScenarioLoader.load(f, c.overrides());
            var cfg = ((TargetSpec.Embedded) s.plan().target()).server();
            seen.add(cfg.backlog().value() * 10 + cfg.workers());
        }
        assertEquals(List.of(81, 83, 161, 163), seen);
    }

    @Test
    void badVariesAreAllReported() {
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> SweepPlan.parse(List.of("server.backlog", "server.workers=1,,2", "=5", "a..b=1", "x=1", "x=2")));
        assertEquals(List.of(
                "--vary server.backlog: no '=' in 'server.backlog' (expected path=value, e.g. target.embedded.backlog=4096)",
                "--vary server.workers: empty value in '1,,2' (expected v1,v2,... e.g. 8,128,4096)",
                "--vary =5: no path before '=' (expected path=value, e.g. target.embedded.backlog=4096)",
                "--vary a..b: 'a..b' is not a path (expected a path such as server.backlog)",
                "--vary x: varied twice (expected each path in one --vary)"), e.lines());
    }

    @Test
    void tooManyCellsIsRefused() {
        String many = String.join(",", java.util.Collections.nCopies(17, "1"));
        ScenarioException e = assertThrows(ScenarioException.class, () -> SweepPlan.parse(List.of("a=" + many, "b=" + many)));
        assertEquals(List.of("--vary: the matrix has 289 cells (expected at most 256 (each cell is a run))"), e.lines());
    }

    @Test
    void badCellValueNamesTheVary() {
        SweepPlan p = SweepPlan.parse(List.of("server.workers=2,many"));
        ScenarioException e = assertThrows(ScenarioException.class,
                () -> ScenarioLoader.load(Path.of("../scenarios/workers-plus-backlog.yaml"), p.cells().get(1).overrides()));
        assertEquals(List.of("--vary server.workers: at target.embedded.workers: 'many' is not an integer (expected an integer >= 1)"), e.lines());
    }
}
