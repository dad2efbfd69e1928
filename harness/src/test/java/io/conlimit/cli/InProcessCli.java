package io.conlimit.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Runs the conlimit CLI in this JVM as a user would run it (Main's handlers, picocli's writers and System.out/err
 * both captured) and says what a user must never see: a Java class name or a stack trace.
 */
final class InProcessCli {
    /** A qualified Java class name ending like an exception (java.io.IOException, io.x.FooError). */
    static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b");
    /** A stack frame. */
    static final Pattern STACK_FRAME = Pattern.compile("^\\s+at [\\w$.]+\\(", Pattern.MULTILINE);

    record Result(int code, String out, String err) {
        String all() {
            return out + err;
        }

        /** Null when the output is clean; else what a user should not have seen. */
        String leak() {
            var m = CLASS_NAME.matcher(all());
            if (m.find()) {
                return "a Java class name: " + m.group();
            }
            if (STACK_FRAME.matcher(all()).find() || all().contains("Exception:") || all().contains("Error:")) {
                return "a stack trace or an exception's name";
            }
            return null;
        }
    }

    private InProcessCli() {
    }

    static synchronized Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code;
        try {
            System.setOut(o);
            System.setErr(e);
            code = Main.commandLine().setOut(new PrintWriter(o, true)).setErr(new PrintWriter(e, true)).execute(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        o.flush();
        e.flush();
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
