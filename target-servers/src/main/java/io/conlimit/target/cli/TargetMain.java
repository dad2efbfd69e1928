package io.conlimit.target.cli;

import io.conlimit.target.servers.NettyMachineId;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code conlimit-target}: the target servers alone, for the machine that plays the server.
 * Exit codes: 0 ok, 2 usage or configuration error (or port in use), 3 could not start.
 */
@Command(name = "conlimit-target",
        mixinStandardHelpOptions = true,
        versionProvider = TargetMain.Version.class,
        description = "Target servers with known concurrent-connection limits (the server side of conlimit).",
        subcommands = {CommandLine.HelpCommand.class, io.conlimit.agent.AgentCommand.class})
public final class TargetMain implements Runnable {
    static final int USAGE = 2;
    static final int COULD_NOT_START = 3;

    static {
        NettyMachineId.ensure(); // before any Netty class: no "no usable hardware address" warning in a lo-only namespace
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code without exiting: what tests call. */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        return commandLine(new ServeCommand());
    }

    /** The CLI with a given serve command instance (tests pass one without signal handling). */
    public static CommandLine commandLine(ServeCommand serve) {
        CommandLine cl = new CommandLine(new TargetMain());
        cl.addSubcommand(serve);
        cl.setParameterExceptionHandler(TargetMain::onParameterError);
        cl.setExecutionExceptionHandler(TargetMain::onExecutionError);
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static int onParameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println(cl.getCommandSpec().root().name() + ": " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, cl.getErr());
        cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        cl.getErr().flush();
        return USAGE;
    }

    static int onExecutionError(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        String me = cl.getCommandSpec().root().name();
        if (ex instanceof IllegalArgumentException) {
            cl.getErr().println(me + ": " + ex.getMessage());
            cl.getErr().flush();
            return USAGE;
        }
        cl.getErr().println(me + ": could not complete: " + io.conlimit.text.PlainErrors.message(ex));
        cl.getErr().flush();
        return COULD_NOT_START;
    }

    /** The version from the jar's manifest (Implementation-Version), "dev" when run from classes. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TargetMain.class.getPackage().getImplementationVersion();
            return new String[] {"conlimit-target " + (v == null ? "dev" : v),
                    "Java " + Runtime.version() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version")};
        }
    }
}
