package io.conlimit.cli;

import picocli.CommandLine;

/** The exit codes every conlimit command keeps, documented in the README. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int EXPECTATION_FAILED = 1;
    public static final int USAGE = 2;
    public static final int RUN_INCOMPLETE = 3;

    private ExitCodes() {
    }

    static int onParameterError(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        cl.getErr().println("conlimit: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, cl.getErr());
        cl.getErr().println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
        return USAGE;
    }

    static int onExecutionError(Exception ex, CommandLine cl, CommandLine.ParseResult parseResult) {
        if (ex instanceof IllegalArgumentException) {
            cl.getErr().println("conlimit: " + ex.getMessage());
            return USAGE;
        }
        // never a class name or a stack trace (the project's rule): what happened, in words
        cl.getErr().println("conlimit: could not complete: " + io.conlimit.text.PlainErrors.message(ex));
        return RUN_INCOMPLETE;
    }
}
