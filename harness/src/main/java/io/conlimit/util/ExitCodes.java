package io.conlimit.util;

/** The exit codes every conlimit command keeps, documented in docs/run.md and the README. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int EXPECTATION_FAILED = 1;
    public static final int USAGE = 2;
    public static final int RUN_INCOMPLETE = 3;

    private ExitCodes() {
    }
}
