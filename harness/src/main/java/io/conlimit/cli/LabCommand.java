package io.conlimit.cli;

import io.conlimit.util.ExitCodes;
import io.conlimit.lab.LabCleaner;
import io.conlimit.lab.LabNames;
import io.conlimit.lab.LabNetwork;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code conlimit lab ...}: the namespace lab's housekeeping. */
@Command(name = "lab",
        mixinStandardHelpOptions = true,
        description = {"The namespace lab: a server and a client network namespace joined by a veth pair "
                + "(198.18.n.1 <-> 198.18.n.2, RFC 2544's benchmarking range), each with its own sysctls. "
                + "Runs create and remove it themselves; see docs/lab.md."},
        subcommands = {LabCommand.Clean.class, LabRunCommand.class})
public final class LabCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code conlimit lab clean [--force]}. Exit 0 when nothing is left over, 2 without root, 3 when a removal failed. */
    @Command(name = "clean",
            mixinStandardHelpOptions = true,
            description = {"Removes the " + LabNames.PREFIX + "* network namespaces (and the processes in them) "
                    + "left by lab runs that were killed before they could clean up. Labs whose conlimit "
                    + "process still runs are kept unless --force.", "Needs root."})
    public static final class Clean implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--force", description = "Also remove labs whose owning conlimit process is still running.")
        boolean force;

        private final Supplier<Optional<String>> unavailable;

        public Clean() {
            this(LabNetwork::unavailableReason);
        }

        /** With another availability check (tests: simulate a host without root). */
        public Clean(Supplier<Optional<String>> unavailable) {
            this.unavailable = unavailable;
        }

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<String> why = unavailable.get();
            if (why.isPresent()) {
                err.println("conlimit: " + why.get());
                return ExitCodes.USAGE;
            }
            LabCleaner.Result r = LabCleaner.clean(force);
            r.removed().forEach(e -> out.println("removed " + e));
            r.kept().forEach(e -> out.println("kept " + e));
            r.failed().forEach(e -> err.println("conlimit: could not remove " + e));
            if (r.removed().isEmpty() && r.failed().isEmpty()) {
                out.println(r.kept().isEmpty() ? "no " + LabNames.PREFIX + "* namespaces found: nothing to clean"
                        : "no leftovers: every lab found belongs to a running conlimit");
            }
            out.flush();
            return r.failed().isEmpty() ? ExitCodes.OK : ExitCodes.RUN_INCOMPLETE;
        }
    }
}
