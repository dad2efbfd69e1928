package io.conlimit.target;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The target servers, each with a theoretical concurrent-connection limit. */
public enum ServerKind {
    /** W threads each looping blocking accept() -> serve -> close (Apache prefork): limit W + B + 1. */
    BLOCKING_POOL("blocking-pool"),
    /** One acceptor handing sockets to W workers through a bounded queue of Q (Tomcat): limit W + Q + B + 1. */
    THREAD_POOL("thread-pool"),
    /** One thread: accept(), hand off, sleep --accept-delay: admits 1/delay connections per second. */
    SLEEPY_ACCEPT("sleepy-accept"),
    /** Netty non-blocking server accepting as fast as it can: bounded by fds and memory, not the backlog. */
    EVENT_LOOP("event-loop");

    private final String cliName;

    ServerKind(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in scenario files. */
    public String cliName() {
        return cliName;
    }

    /** @throws IllegalArgumentException listing the valid names */
    public static ServerKind fromName(String name) {
        for (ServerKind k : values()) {
            if (k.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown server kind '" + name + "': expected one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(ServerKind::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
