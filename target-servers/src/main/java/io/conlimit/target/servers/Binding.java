package io.conlimit.target.servers;

import java.io.IOException;
import java.net.BindException;

/** Turns a failed bind into a BindException whose message names the address and port. */
final class Binding {
    private Binding() {
    }

    /**
     * @param what "port" or "stats port"
     * @return "port 8080 on 127.0.0.1 is already in use" when the address is taken, else "cannot bind
     *         127.0.0.1:8080: cause"
     */
    static BindException failure(String what, String host, int port, Throwable cause) {
        String m = String.valueOf(cause.getMessage());
        BindException e;
        if (m.contains("Address already in use") || m.contains("EADDRINUSE")) {
            e = new BindException(what + " " + port + " on " + host + " is already in use");
        } else {
            e = new BindException("cannot bind " + what + " " + port + " on " + host + ": " + m);
        }
        e.initCause(cause);
        return e;
    }

    static boolean isBindFailure(Throwable t) {
        return t instanceof BindException || (t instanceof IOException && String.valueOf(t.getMessage()).contains("bind("));
    }
}
