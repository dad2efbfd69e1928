package io.conlimit.cli;

import picocli.CommandLine;

/**
 * picocli's error handlers, mapping to the exit codes of {@link io.conlimit.util.ExitCodes} (the codes live in the leaf
 * package so that run/ needs no import from cli/).
 */
public final class CliErrors {
    private CliErrors() {
    }

    static int onParameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println("conlimit: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, cl.getErr());
        cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        return io.conlimit.util.ExitCodes.USAGE;
    }

    static int onExecutionError(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        if (ex instanceof IllegalArgumentException) {
            cl.getErr().println("conlimit: " + ex.getMessage());
            return io.conlimit.util.ExitCodes.USAGE;
        }
        // never a class name or a stack trace (the project's rule): what happened, in words
        cl.getErr().println("conlimit: could not complete: " + io.conlimit.text.PlainErrors.message(ex));
        return io.conlimit.util.ExitCodes.RUN_INCOMPLETE;
    }
}
