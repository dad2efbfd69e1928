package io.conlimit.kernel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The /proc/net files of one network namespace (tcp, tcp6, netstat), opened once and read again and again with
 * positioned reads from offset 0 (seq_file starts its walk afresh). No process is started per reading.
 * <p>
 * An open /proc/net file keeps reporting the namespace it was opened in (seq_open_net takes a reference to it), so
 * another namespace is read by opening {@code /proc/PID/net/...} of a short-lived helper process started inside it
 * ({@link #in(List)}): once the files are open the helper exits, and the open files stay bound to that namespace
 * (no process id is used after that, so a recycled pid cannot redirect the reading).
 * <p>
 * Safe to read from several threads: every reading uses its own buffer and positioned reads, and the kernel
 * serialises reads of one open seq_file.
 */
public final class ProcNet implements AutoCloseable {
    private final String description;
    private final FileChannel tcp;
    private final FileChannel tcp6;
    private final FileChannel netstat;

    private ProcNet(String description, FileChannel tcp, FileChannel tcp6, FileChannel netstat) {
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
        FileChannel tcp = FileChannel.open(dir.resolve("tcp"), StandardOpenOption.READ);
        FileChannel tcp6 = null;
        FileChannel netstat = null;
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

    private static FileChannel openOptional(Path p) throws IOException {
        try {
            return FileChannel.open(p, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
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

    /** Whether {@link #netstat()} can be read. */
    public boolean hasNetstat() {
        return netstat != null;
    }

    /** The whole text of the namespace's netstat file (TcpExt counters). */
    public String netstat() throws IOException {
        if (netstat == null) {
            throw new IOException(description + "/netstat does not exist");
        }
        ByteBuffer buf = ByteBuffer.allocate(8192);
        StringBuilder out = new StringBuilder();
        long position = 0;
        for (int n; (n = netstat.read(buf.clear(), position)) > 0; position += n) {
            out.append(StandardCharsets.US_ASCII.decode(buf.flip()));
        }
        return out.toString();
    }

    @Override
    public void close() {
        closeQuietly(tcp);
        closeQuietly(tcp6);
        closeQuietly(netstat);
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do: a read-only /proc file
            }
        }
    }
}
