package io.conlimit.lab;

import io.conlimit.kernel.Commands;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds and removes the namespaces of lab runs that were killed before they could clean up (SIGKILL,
 * power loss): every {@code conlimit-lab-*} namespace in {@code ip netns list} whose owning process
 * ({@link LabOwner}) is gone. Processes still inside such a namespace (e.g. an orphaned target server)
 * are stopped first. Labs whose owner still runs are kept unless forced.
 */
public final class LabCleaner {
    private static final long STOP_GRACE_MS = 5_000;

    /** One namespace and what happened to it (or why it was kept). */
    public record Entry(String namespace, String detail) {
        @Override
        public String toString() {
            return namespace + (detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }

    /** What {@link #clean} did. */
    public record Result(List<Entry> removed, List<Entry> kept, List<Entry> failed) {
        public Result {
            removed = List.copyOf(removed);
            kept = List.copyOf(kept);
            failed = List.copyOf(failed);
        }
    }

    private LabCleaner() {
    }

    /** The names of every lab namespace now present, sorted. */
    public static List<String> labNamespaces() throws IOException {
        Set<String> out = new TreeSet<>();
        for (String line : Commands.run(List.of("ip", "netns", "list"), 10).split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (LabNames.isLabNamespace(name)) {
                out.add(name);
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Removes leftover labs.
     *
     * @param force also remove labs whose owning process still runs
     */
    public static Result clean(boolean force) throws IOException {
        Map<String, List<String>> byRun = new LinkedHashMap<>();
        for (String ns : labNamespaces()) {
            byRun.computeIfAbsent(LabNames.runIdOf(ns).orElseThrow(), k -> new ArrayList<>()).add(ns);
        }
        List<Entry> removed = new ArrayList<>();
        List<Entry> kept = new ArrayList<>();
        List<Entry> failed = new ArrayList<>();
        for (List<String> namespaces : byRun.values()) {
            String runId = LabNames.runIdOf(namespaces.get(0)).orElseThrow();
            Optional<LabOwner> owner = LabWatchdog.recordedOwner(runId); // recorded before the namespaces were made
            for (String ns : namespaces) {
                owner = owner.or(() -> ownerOf(ns));
            }
            boolean alive = owner.isPresent() && owner.get().isAlive();
            String why = owner.map(o -> "owner pid " + o.pid() + (alive ? " is running" : " is gone"))
                    .orElse("no owner recorded");
            for (String ns : namespaces) {
                if (alive && !force) {
                    kept.add(new Entry(ns, why + "; --force removes it"));
                    continue;
                }
                try {
                    int stopped = stopProcessesIn(ns);
                    deleteNamespace(ns);
                    if (!labNamespaces().contains(LabNames.serverNamespace(runId))
                            && !labNamespaces().contains(LabNames.clientNamespace(runId))) {
                        LabWatchdog.forget(runId);
                    }
                    removed.add(new Entry(ns, why + (stopped > 0 ? "; stopped " + stopped + " process(es)" : "")));
                } catch (IOException e) {
                    failed.add(new Entry(ns, e.getMessage()));
                }
            }
        }
        return new Result(removed, kept, failed);
    }

    /** The owner recorded in the alias of the namespace's veth end, if any. */
    static Optional<LabOwner> ownerOf(String ns) {
        try {
            return LabOwner.parse(Commands.run(List.of("ip", "-n", ns, "-o", "link", "show"), 10));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The n of every 198.18.n.x address in the existing lab namespaces. */
    static Set<Integer> usedSubnets() throws IOException {
        Set<Integer> used = new TreeSet<>();
        for (String ns : labNamespaces()) {
            try {
                LabAddresses.subnetsIn(Commands.run(List.of("ip", "-n", ns, "-o", "-4", "addr", "show"), 10), used);
            } catch (IOException e) {
                // a namespace deleted meanwhile: its subnet is free
            }
        }
        return Collections.unmodifiableSet(used);
    }

    /** SIGTERM to every process in {@code ns}, SIGKILL to those still there after 5 s; returns how many there were. */
    static int stopProcessesIn(String ns) throws IOException {
        List<ProcessHandle> found = new ArrayList<>();
        String pids;
        try {
            pids = Commands.run(List.of("ip", "netns", "pids", ns), 10);
        } catch (IOException e) {
            if (!exists(ns)) {
                return 0;
            }
            throw e;
        }
        for (String p : pids.split("\\s+")) {
            if (!p.isBlank()) {
                long pid = Long.parseLong(p.trim());
                if (pid != ProcessHandle.current().pid()) {
                    ProcessHandle.of(pid).ifPresent(found::add);
                }
            }
        }
        found.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_GRACE_MS * 1_000_000;
        for (ProcessHandle h : found) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (TimeoutException | ExecutionException e) {
                // still running: killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        return found.size();
    }

    /** {@code ip netns del ns}; a namespace that is already gone is not an error. */
    static void deleteNamespace(String ns) throws IOException {
        try {
            Commands.run(List.of("ip", "netns", "del", ns), 30);
        } catch (IOException e) {
            if (exists(ns)) {
                throw e;
            }
        }
    }

    static boolean exists(String ns) throws IOException {
        for (String line : Commands.run(List.of("ip", "netns", "list"), 10).split("\n")) {
            if (line.trim().split("\\s+")[0].equals(ns)) {
                return true;
            }
        }
        return false;
    }
}
