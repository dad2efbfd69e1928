package io.conlimit.target.servers;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every connection a blocking server holds, so that close() can close them all. A socket added after
 * {@link #closeAll()} is closed at once: accept() racing with close() cannot leak a connection.
 */
final class OpenSockets {
    private final Set<Closeable> open = new HashSet<>();
    private boolean closed;

    /** @return false (and the socket is closed) when the server is already stopping */
    boolean add(Closeable socket) {
        synchronized (this) {
            if (!closed) {
                open.add(socket);
                return true;
            }
        }
        closeQuietly(socket);
        return false;
    }

    synchronized void remove(Closeable socket) {
        open.remove(socket);
    }

    void closeAll() {
        List<Closeable> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(open);
            open.clear();
        }
        all.forEach(OpenSockets::closeQuietly);
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing on stop: nothing left to do with the error
        }
    }
}
