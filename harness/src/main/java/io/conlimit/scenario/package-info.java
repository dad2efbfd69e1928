/**
 * Scenario files (docs/scenarios.md): YAML -> {@link io.conlimit.scenario.Scenario} via
 * {@link io.conlimit.scenario.ScenarioLoader#load(java.nio.file.Path, java.util.List)}, with
 * {@link io.conlimit.scenario.SetOverride} values applied to the node tree first and every problem collected
 * into one {@link io.conlimit.scenario.ScenarioException} (exit code 2).
 *
 * <p>How {@code conlimit run FILE} wires it together (the run executor's part):
 * <ol>
 * <li>{@code Scenario s = ScenarioLoader.load(file, SetOverride.parseAll(sets));}</li>
 * <li>start the target ({@code s.plan().target()}; in the lab when {@code s.lab() != null}) and read its
 *     effective backlog B and somaxconn from the kernel ({@code TargetServer.backlog()});</li>
 * <li>{@code Prediction p = Predictor.predict(ServiceModel.of(config, B, somaxconn), s.plan(), schedule, nofile, Duration.ZERO)}
 *     ({@code ServiceModel.external(B, somaxconn)} for host/port targets; schedule = the client's SYN retry times);</li>
 * <li>run {@code s.plan()}; take the summary's ObjectNode; {@code Comparison c = Comparison.of(p, summary);
 *     c.annotate(summary);} print {@code c.table()} and write summary.json again;</li>
 * <li>{@code ExpectationReport r = ExpectationReport.evaluate(s.expectations(), summary);} print {@code r.lines()};
 *     exit 3 if the run was incomplete, else {@code r.exitCode()} (0 or 1).</li>
 * </ol>
 * A sweep: {@code SweepPlan.parse(varies)}, then for each {@code cell}: load with {@code sets + cell.overrides()}
 * and do the above with a fresh server, one table row per {@code cell.label()}.
 *
 * <p>Steps 2-5 are {@code io.conlimit.run.ScenarioRunner#run(Scenario, RunSettings)}: a RunExecutor with the
 * kernel-evidence observers first, then {@code io.conlimit.run.PredictionObserver} and
 * {@code io.conlimit.run.ExpectationsObserver}; {@code conlimit run FILE} ({@code io.conlimit.cli.RunCommand}),
 * {@code sweep} ({@code SweepCommand}) and {@code find-limit} ({@code FindLimitCommand}) call it once per run.
 * {@code run FILE} runs a scenario that needs the lab through io.conlimit.lab.LabRun; sweep and find-limit refuse it (exit 2).
 */
package io.conlimit.scenario;
