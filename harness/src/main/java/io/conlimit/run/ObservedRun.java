package io.conlimit.run;

import io.conlimit.plan.RunPlan;
import io.conlimit.target.TargetServer;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * What a {@link RunObserver} may know about the run it observes.
 *
 * @param plan       the plan being run
 * @param address    the address the load goes to
 * @param server     the embedded target, or null for an external one
 * @param epochNanos System.nanoTime() at the run's start: the epoch of every record time
 * @param folder     the results folder
 * @param out        console for results
 * @param err        console for warnings
 */
public record ObservedRun(RunPlan plan, InetSocketAddress address, TargetServer server, long epochNanos, Path folder,
                         PrintStream out, PrintStream err) {
}
