package io.conlimit.kernel;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The /proc/net files of one network namespace (tcp, tcp6, netstat), opened once and read again and again from
 * offset 0 (seek(0) then read: seq_file starts its walk afresh). No process is started per reading. The files are
 * RandomAccessFiles, not FileChannels: an interrupted thread (the sampler's executor is stopped with an interrupt)
 * would close a RandomAccessFile under every other user of it.
 * <p>
 * An open /proc/net file keeps reporting the namespace it was opened in (seq_open_net takes a reference to it), so
 * another namespace is read by opening {@code /proc/PID/net/...} of a short-lived helper process started inside it
 * ({@link #in(List)}): once the files are open the helper exits, and the open files stay bound to that namespace
 * (no process id is used after that, so a recycled pid cannot redirect the reading).
 * <p>
 * Safe to read from several threads: each file is read under its own lock.
 */
public final class ProcNet implements AutoCloseable {
    private final String description;
    private final RandomAccessFile tcp;
    private final RandomAccessFile tcp6;
    private final RandomAccessFile netstat;

    private ProcNet(String description, RandomAccessFile tcp, RandomAccessFile tcp6, RandomAccessFile netstat) {
        this.description = description;
        this.tcp = tcp;
        this.tcp6 = tcp6;
        this.netstat = netstat;
    }

    /** This process's namespace: /proc/self/net. */
    public static ProcNet own() throws IOException {
        return open(Path.of("/proc/self/net"), "/proc/net");
    }

    /**
     * A directory laid out like /proc/net: {@code /proc/PID/net} (the namespace of process PID at the moment the
     * files are opened), or captured files in a test. {@code tcp} is required; {@code tcp6} (absent when IPv6 is
     * disabled) and {@code netstat} are optional.
     */
    public static ProcNet at(Path dir) throws IOException {
        return open(dir, dir.toString());
    }

    /**
     * The namespace a command behind {@code commandPrefix} runs in (e.g. {@code ip netns exec NS}): starts
     * {@code PREFIX sh -c 'echo $$; exec cat'} (it waits on its stdin, which only this JVM holds), opens
     * /proc/PID/net/* of it, then ends it by closing its stdin.
     *
     * @throws IOException when the helper cannot be started, fails, or runs in another process than the one started
     *                     (a prefix that forks, e.g. {@code sudo}, hides the pid: use the ss fallback then)
     */
    public static ProcNet in(List<String> commandPrefix) throws IOException {
        return NamespaceHelper.open(commandPrefix, null);
    }

    /** Namespace {@code ns}, checked: the helper's /proc/PID/ns/net must be the inode of /run/netns/NAME. */
    public static ProcNet in(NetworkNamespace ns) throws IOException {
        return NamespaceHelper.open(ns.exec(List.of()), ns.name());
    }

    static ProcNet open(Path dir, String description) throws IOException {
        Path tcpPath = dir.resolve("tcp");
        if (!Files.exists(tcpPath)) {
            throw new NoSuchFileException(tcpPath.toString());
        }
        RandomAccessFile tcp = new RandomAccessFile(tcpPath.toFile(), "r");
        RandomAccessFile tcp6 = null;
        RandomAccessFile netstat = null;
        try {
            tcp6 = openOptional(dir.resolve("tcp6"));
            netstat = openOptional(dir.resolve("netstat"));
        } catch (IOException | RuntimeException e) {
            closeQuietly(tcp);
            closeQuietly(tcp6);
            throw e;
        }
        return new ProcNet(description, tcp, tcp6, netstat);
    }

    private static RandomAccessFile openOptional(Path p) throws IOException {
        try {
            return new RandomAccessFile(p.toFile(), "r");
        } catch (FileNotFoundException e) {
            if (Files.exists(p)) {
                throw e; // there, but not readable
            }
            return null;
        }
    }

    /** Where the files were opened, e.g. {@code /proc/net} or {@code /proc/net of namespace NS (net:[4026532281])}. */
    public String describe() {
        return description;
    }

    /** Every LISTEN socket of the namespace, IPv4 first, then IPv6: only the head of each file is read. */
    public List<ProcNetTcp.Listener> listeners() throws IOException {
        List<ProcNetTcp.Listener> out = new ArrayList<>();
        try {
            ProcNetTcp.readListeners(tcp, out);
            if (tcp6 != null) {
                ProcNetTcp.readListeners(tcp6, out);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(description + "/tcp: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The LISTEN socket {@code known} now (its queue length), looked up by inode in the file it was found in, reading
     * no further than its row; empty when it is no longer listening there (closed, or replaced by a new socket).
     */
    public Optional<ProcNetTcp.Listener> follow(ProcNetTcp.Listener known) throws IOException {
        boolean v6 = known.local().startsWith("[");
        RandomAccessFile file = v6 ? tcp6 : tcp;
        if (file == null) {
            return Optional.empty();
        }
        try {
            return ProcNetTcp.readListener(file, known.inode(), v6 ? ProcNetTcp.TCP6_ROW : ProcNetTcp.TCP4_ROW);
        } catch (IllegalArgumentException e) {
            throw new IOException(description + ": " + e.getMessage(), e);
        }
    }

    /** The LISTEN sockets on {@code port}. */
    public List<ProcNetTcp.Listener> listeners(int port) throws IOException {
        List<ProcNetTcp.Listener> out = new ArrayList<>();
        for (ProcNetTcp.Listener l : listeners()) {
            if (l.port() == port) {
                out.add(l);
            }
        }
        return out;
    }

    /**
     * Every socket of the namespace with {@code port} at its local or remote end, IPv4 then IPv6: the whole tables
     * are read (a census, not a sample).
     */
    public List<ProcNetTcp.Socket> sockets(int port) throws IOException {
        List<ProcNetTcp.Socket> out = new ArrayList<>();
        try {
            ProcNetTcp.readSockets(tcp, port, out);
            if (tcp6 != null) {
                ProcNetTcp.readSockets(tcp6, port, out);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(description + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Every socket of the namespace, IPv4 then IPv6 (the whole tables: a census, not a sample). */
    public List<ProcNetTcp.Socket> sockets() throws IOException {
        return sockets(ProcNetTcp.ANY_PORT);
    }

    /** Whether {@link #netstat()} can be read. */
    public boolean hasNetstat() {
        return netstat != null;
    }

    /** The whole text of the namespace's netstat file (TcpExt counters). */
    public String netstat() throws IOException {
        if (netstat == null) {
            throw new IOException(description + "/netstat does not exist");
        }
        byte[] buf = new byte[8192];
        StringBuilder out = new StringBuilder();
        synchronized (netstat) {
            netstat.seek(0);
            for (int n; (n = netstat.read(buf)) > 0; ) {
                out.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        closeQuietly(tcp);
        closeQuietly(tcp6);
        closeQuietly(netstat);
    }

    private static void closeQuietly(RandomAccessFile c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do: a read-only /proc file
            }
        }
    }
}
