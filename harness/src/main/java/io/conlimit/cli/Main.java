package io.conlimit.cli;

import io.conlimit.target.servers.NettyMachineId;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code conlimit} command. Exit codes: 0 ok, 1 an expectation failed, 2 usage or configuration error, 3 the run could not complete. */
@Command(name = "conlimit",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersion.class,
        description = "Measures a TCP server's concurrent-connection limits empirically.",
        subcommands = {CommandLine.HelpCommand.class,
                RunCommand.class,
                ValidateCommand.class,
                SweepCommand.class,
                FindLimitCommand.class,
                io.conlimit.target.cli.ServeCommand.class,
                SysinfoCommand.class,
                ProbeBacklogCommand.class,
                io.conlimit.agent.AgentCommand.class,
                LabCommand.class,
                CompareCommand.class,
                MergeCommand.class,
                FleetCommand.class,
                ReportCommand.class})
public final class Main implements Runnable {
    static {
        // before any Netty class: in a network namespace with only lo, Netty would otherwise warn that it found
        // no hardware address (a JVM logging line in the middle of the run's output)
        NettyMachineId.ensure();
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code, without exiting: what tests call. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler(CliErrors::onParameterError);
        cl.setExecutionExceptionHandler(CliErrors::onExecutionError);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
