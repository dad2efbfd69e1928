package io.conlimit.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A network namespace of our own: an isolated kernel network stack whose sysctls (somaxconn,
 * tcp_abort_on_overflow, ...) we may set without touching the host's. Needs root and iproute2.
 * A new namespace starts from the kernel's built-in defaults, not from the host's values, and (where the kernel
 * allows) with a table of established sockets of its own ({@link #ESTABLISHED_HASH_BUCKETS}).
 */
public final class NetworkNamespace implements AutoCloseable {
    /**
     * The size of a created namespace's own table of established sockets (net.ipv4.tcp_child_ehash_entries, Linux
     * 6.1+), as a machine of its own has. Without it every namespace shares the host's table (262,144 buckets on a
     * 24 GiB machine), and each read of /proc/net/tcp that reaches past the last listener walks that whole table for
     * the namespace's next socket: up to 2-3 ms of CPU per listen-queue sample on a busy 2-core machine (seen with
     * perf sched at a fleet's start instant, docs/fleet.md), about 20 us with 8,192 buckets of its own. 8,192 keeps
     * the chains short for the 20,000 connections one client process can hold.
     */
    static final int ESTABLISHED_HASH_BUCKETS = 8192;

    private final String name;
    private final boolean owned;
    private boolean closed;

    private NetworkNamespace(String name, boolean owned) {
        this.name = name;
        this.owned = owned;
    }

    /**
     * A namespace that already exists (created by {@code ip netns add}, e.g. a lab's server namespace, whose
     * name another process passed us). {@link #close()} leaves it alone: its creator removes it.
     *
     * @throws IOException when no namespace of that name exists ({@code /run/netns/NAME})
     */
    public static NetworkNamespace existing(String name) throws IOException {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IOException("not a network namespace name: '" + name + "'");
        }
        if (!Files.exists(Path.of("/run/netns", name))) {
            throw new IOException("no network namespace named '" + name + "' (ip netns list shows the existing ones)");
        }
        return new NetworkNamespace(name, false);
    }

    /** Why namespaces cannot be used here, or empty when they can. */
    public static Optional<String> unavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("network namespaces need root (running as " + System.getProperty("user.name") + ")");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
                && !Files.isExecutable(Path.of("/usr/bin/ip")) && !Files.isExecutable(Path.of("/bin/ip"))) {
            return Optional.of("iproute2's ip command is not installed");
        }
        return Optional.empty();
    }

    /** Creates namespace {@code name} with its loopback up. */
    public static NetworkNamespace create(String name) throws IOException {
        if (Files.exists(Path.of("/run/netns", name))) {
            throw new IOException("a network namespace named '" + name + "' exists already");
        }
        try {
            // ip netns add run inside an unnamed namespace (gone when the command ends) whose child hash size is set
            run(List.of("unshare", "--net", "sh", "-c", "echo " + ESTABLISHED_HASH_BUCKETS
                    + " > /proc/sys/net/ipv4/tcp_child_ehash_entries && exec ip netns add \"$0\"", name));
        } catch (IOException e) {
            if (!Files.exists(Path.of("/run/netns", name))) {
                run(List.of("ip", "netns", "add", name)); // a kernel before 6.1 or no unshare: the host's shared hash
            }
        }
        NetworkNamespace ns = new NetworkNamespace(name, true);
        try {
            run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
        } catch (IOException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** Sets a sysctl inside this namespace only. */
    public void sysctl(String key, String value) throws IOException {
        run(exec(List.of("sysctl", "-q", "-w", key + "=" + value)));
    }

    /** Reads a sysctl inside this namespace. */
    public String readSysctl(String key) throws IOException {
        return run(exec(List.of("sysctl", "-n", key))).trim();
    }

    /** {@code command} prefixed so that it runs inside this namespace. */
    public List<String> exec(List<String> command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
        out.addAll(command);
        return out;
    }

    /** Runs {@code command} inside this namespace and returns its output. */
    public String run(String... command) throws IOException {
        return run(exec(List.of(command)));
    }

    /** Deletes the namespace when this object created it; a namespace from {@link #existing} is left alone. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            closed = true;
            if (!owned) {
                return;
            }
            run(List.of("ip", "netns", "del", name));
        }
    }

    /** Runs a command to completion (30 s at most), returning stdout+stderr; fails with its output on non-zero exit. */
    public static String run(List<String> command) throws IOException {
        return Commands.run(command, 30);
    }
}
