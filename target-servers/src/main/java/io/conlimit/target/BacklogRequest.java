package io.conlimit.target;

/**
 * What a server asks listen() for: a number, {@code max} (Integer.MAX_VALUE, so the kernel clamps to
 * somaxconn) or {@code default} (the runtime's default: Java replaces a backlog below 1 by 50).
 *
 * @param form  how the user wrote it
 * @param value the int handed to the bind call ({@code 0} for default: Java then uses 50)
 */
public record BacklogRequest(Form form, int value) {
    /** Java's replacement for a backlog below 1 (ServerSocket, ServerSocketChannel.bind). */
    public static final int JAVA_DEFAULT = 50;

    public enum Form { NUMBER, MAX, DEFAULT }

    public static BacklogRequest of(int n) {
        return new BacklogRequest(Form.NUMBER, n);
    }

    public static BacklogRequest max() {
        return new BacklogRequest(Form.MAX, Integer.MAX_VALUE);
    }

    public static BacklogRequest runtimeDefault() {
        return new BacklogRequest(Form.DEFAULT, 0);
    }

    /** Parses {@code N|max|default}, N at least 1. @throws IllegalArgumentException naming the accepted forms */
    public static BacklogRequest parse(String text) {
        String t = text.trim();
        if (t.equals("max")) {
            return max();
        }
        if (t.equals("default")) {
            return runtimeDefault();
        }
        int n;
        try {
            n = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a backlog: use a number, 'max' or 'default'");
        }
        if (n < 1) {
            throw new IllegalArgumentException("backlog " + n + " is below 1, which Java replaces by " + JAVA_DEFAULT
                    + ": write 'default' for that, or a number from 1 (probe-backlog shows what the kernel makes of any value)");
        }
        return of(n);
    }

    /** The value listen() ends up receiving from Java: below 1 becomes 50. */
    public int passedToListen() {
        return value < 1 ? JAVA_DEFAULT : value;
    }

    /** What the kernel will store: min(passed, somaxconn) (net/socket.c, silently). */
    public int expectedEffective(int somaxconn) {
        return somaxconn < 0 ? passedToListen() : Math.min(passedToListen(), somaxconn);
    }

    @Override
    public String toString() {
        return switch (form) {
            case MAX -> "max";
            case DEFAULT -> "default";
            case NUMBER -> Integer.toString(value);
        };
    }
}
