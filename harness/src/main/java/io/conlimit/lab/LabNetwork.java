package io.conlimit.lab;

import io.conlimit.kernel.Commands;
import io.conlimit.kernel.NetworkNamespace;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Two simulated machines on one host: a server network namespace and a client network namespace joined
 * by a veth pair, each with its own kernel network settings (somaxconn, syncookies, ...), none of the
 * host's touched. See {@link LabNames} for the names, {@link LabAddresses} for the addresses.
 *
 * <p>{@link #close()} removes everything: it stops the processes left in both namespaces and deletes
 * them (which destroys the veth pair). It is idempotent and also runs from a JVM shutdown hook, so Ctrl-C
 * cleans up; a SIGKILLed run leaves namespaces that {@code conlimit lab clean} ({@link LabCleaner}) removes.
 * Needs root and iproute2 (ip) and procps (sysctl).
 */
public final class LabNetwork implements AutoCloseable {
    private static final long LINK_UP_TIMEOUT_MS = 5_000;

    private final LabSpec spec;
    private final LabAddresses addresses;
    private final NetworkNamespace server;
    private final NetworkNamespace client;
    private final List<LabProcess> processes = new CopyOnWriteArrayList<>();
    private boolean closed; // guarded by this
    private final Thread shutdownHook;

    private LabNetwork(LabSpec spec, LabAddresses addresses, NetworkNamespace server, NetworkNamespace client) {
        this.spec = spec;
        this.addresses = addresses;
        this.server = server;
        this.client = client;
        this.shutdownHook = new Thread(this::closeFromHook, "conlimit-lab-cleanup-" + spec.runId());
    }

    /** Why the lab cannot run here ("the namespace lab needs root: ..."), or empty when it can. */
    public static Optional<String> unavailableReason() {
        return LabHost.unavailableReason();
    }

    /**
     * Creates the namespaces, the veth pair and the addresses, brings the links up and applies the sysctls.
     * On failure, whatever was created is removed again before the exception is thrown.
     *
     * @throws IOException naming the step that failed (e.g. "ip netns add ... failed (exit 1): File exists")
     */
    public static LabNetwork create(LabSpec spec) throws IOException {
        Optional<String> why = unavailableReason();
        if (why.isPresent()) {
            throw new IOException(why.get());
        }
        String srvName = LabNames.serverNamespace(spec.runId());
        String cliName = LabNames.clientNamespace(spec.runId());
        LabAddresses addresses = LabAddresses.firstFree(LabCleaner.usedSubnets())
                .orElseThrow(() -> new IOException("all 254 lab subnets 198.18.1-254.0/30 are in use: "
                        + "run 'conlimit lab clean' to remove leftovers"));
        // the owner is on record before any namespace exists (lab clean keeps a lab being set up), and the lab's
        // processes die with this JVM even when it is SIGKILLed (LabWatchdog)
        LabWatchdog.recordOwner(spec.runId());
        NetworkNamespace srv;
        NetworkNamespace cli;
        try {
            LabWatchdog.start(spec.runId());
            srv = NetworkNamespace.create(srvName);
        } catch (IOException e) {
            LabWatchdog.forget(spec.runId());
            throw e;
        }
        try {
            cli = NetworkNamespace.create(cliName);
        } catch (IOException e) {
            LabCleaner.deleteNamespace(srvName);
            LabWatchdog.forget(spec.runId());
            throw e;
        }
        LabNetwork lab = new LabNetwork(spec, addresses, srv, cli);
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.plumb();
        } catch (IOException | RuntimeException e) {
            try {
                lab.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return lab;
    }

    private void plumb() throws IOException {
        String srv = server.name();
        String cli = client.name();
        String sif = LabNames.SERVER_INTERFACE;
        String cif = LabNames.CLIENT_INTERFACE;
        // both veth ends are created directly inside their namespaces: nothing appears in the host's
        ip("link", "add", sif, "netns", srv, "type", "veth", "peer", "name", cif, "netns", cli);
        String owner = LabOwner.current().alias();
        ip("-n", srv, "link", "set", sif, "alias", owner);
        ip("-n", cli, "link", "set", cif, "alias", owner);
        ip("-n", srv, "addr", "add", addresses.serverCidr(), "dev", sif);
        ip("-n", cli, "addr", "add", addresses.clientCidr(), "dev", cif);
        ip("-n", srv, "link", "set", sif, "up");
        ip("-n", cli, "link", "set", cif, "up");
        for (Map.Entry<String, String> s : spec.serverSysctls().entrySet()) {
            server.sysctl(s.getKey(), s.getValue());
        }
        for (Map.Entry<String, String> s : spec.clientSysctls().entrySet()) {
            client.sysctl(s.getKey(), s.getValue());
        }
        awaitCarrier(srv, sif);
        awaitCarrier(cli, cif);
    }

    /** Polls until the veth end reports LOWER_UP (both ends up), for at most 5 s. */
    private static void awaitCarrier(String ns, String dev) throws IOException {
        long deadline = System.nanoTime() + LINK_UP_TIMEOUT_MS * 1_000_000;
        String last;
        do {
            last = Commands.run(List.of("ip", "-n", ns, "-o", "link", "show", "dev", dev), 10);
            if (last.contains("LOWER_UP")) {
                return;
            }
            try {
                Thread.sleep(20); // poll interval of a deadline-bounded wait
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + dev + " in " + ns);
            }
        } while (System.nanoTime() < deadline);
        throw new IOException(dev + " in " + ns + " has no carrier after " + LINK_UP_TIMEOUT_MS + " ms: " + last.trim());
    }

    private static void ip(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Commands.run(cmd, 30);
    }

    public LabSpec spec() {
        return spec;
    }

    public String runId() {
        return spec.runId();
    }

    public LabAddresses addresses() {
        return addresses;
    }

    /** The server's address on the veth (198.18.n.1): what the target binds and the client connects to. */
    public String serverAddress() {
        return addresses.serverAddress();
    }

    /** The client's address on the veth (198.18.n.2). */
    public String clientAddress() {
        return addresses.clientAddress();
    }

    /** The server namespace (name, sysctl reads and writes). */
    public NetworkNamespace server() {
        return server;
    }

    /** The client namespace. */
    public NetworkNamespace client() {
        return client;
    }

    /** {@code cmd} prefixed with {@code ip netns exec <server ns>}. */
    public List<String> execInServer(List<String> cmd) {
        return server.exec(cmd);
    }

    /** {@code cmd} prefixed with {@code ip netns exec <client ns>}. */
    public List<String> execInClient(List<String> cmd) {
        return client.exec(cmd);
    }

    /** Starts {@code cmd} in the server namespace; it is stopped by {@link #close()} at the latest. */
    public LabProcess startInServer(String label, List<String> cmd, Consumer<String> echo) throws IOException {
        return track(LabProcess.start(label, execInServer(cmd), echo));
    }

    /** Starts {@code cmd} in the client namespace; it is stopped by {@link #close()} at the latest. */
    public LabProcess startInClient(String label, List<String> cmd, Consumer<String> echo) throws IOException {
        return track(LabProcess.start(label, execInClient(cmd), echo));
    }

    private LabProcess track(LabProcess p) throws IOException {
        synchronized (this) {
            if (!closed) {
                processes.add(p);
                return p;
            }
        }
        p.close();
        throw new IOException("lab " + runId() + " is closed");
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Stops the processes this lab started and any other process left in its namespaces, then deletes both
     * namespaces (and with them the veth pair). Idempotent; a concurrent caller (the shutdown hook after
     * Ctrl-C while the main thread is closing) waits until the first one has finished, so that the JVM
     * cannot exit half-way.
     *
     * @throws IOException listing what could not be removed (the rest is removed regardless)
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: we are (or the hook is) already cleaning up
        }
        for (LabProcess p : processes) {
            p.close();
        }
        List<String> failures = new ArrayList<>();
        for (String ns : List.of(server.name(), client.name())) {
            try {
                LabCleaner.stopProcessesIn(ns);
                LabCleaner.deleteNamespace(ns);
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        if (failures.isEmpty()) {
            LabWatchdog.forget(runId()); // the watchdog sees it and ends
        }
        if (!failures.isEmpty()) {
            throw new IOException("lab " + runId() + " not fully removed (run 'conlimit lab clean'): "
                    + String.join("; ", failures));
        }
    }

    private void closeFromHook() {
        try {
            close();
        } catch (IOException | RuntimeException e) {
            System.err.println("conlimit: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "lab " + runId() + ": " + server.name() + " " + serverAddress() + " <-> " + client.name() + " "
                + clientAddress();
    }
}
