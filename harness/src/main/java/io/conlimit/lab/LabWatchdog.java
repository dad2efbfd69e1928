package io.conlimit.lab;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A lab dies with its owner. Before a lab's namespaces exist, its owner (pid and start time, {@link LabOwner}) is
 * written to {@code /run/conlimit-labs/<run id>.owner}, and a watchdog is started in a session of its own (so that
 * neither a SIGKILL of the owner nor a signal to its process group reaches it): a shell loop that checks twice a
 * second that the owner still runs. When it does not (killed, crashed), the watchdog kills every process left in
 * the lab's two namespaces, deletes them and the owner file, and ends; when the owner removes its lab itself it
 * deletes the owner file, and the watchdog ends too.
 * <p>
 * The owner file is also what {@code conlimit lab clean} reads first: a lab still being set up (namespaces made,
 * veth alias not yet written) has its owner recorded from the start and is kept while that owner runs.
 */
public final class LabWatchdog {
    /** Where owner files live (tmpfs: gone at reboot, like the namespaces). */
    static Path dir = Path.of("/run/conlimit-labs");
    /** {@code -Dconlimit.lab.watchdog=false} starts none (a test of {@code lab clean}'s own removal of a killed lab). */
    static final String PROPERTY = "conlimit.lab.watchdog";

    private LabWatchdog() {
    }

    public static Path ownerFile(String runId) {
        return dir.resolve(LabNames.checkRunId(runId) + ".owner");
    }

    /** Records this JVM as the owner of lab {@code runId}; call before its namespaces are created. */
    static void recordOwner(String runId) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(ownerFile(runId), LabOwner.current().alias() + "\n");
    }

    /** The owner recorded for lab {@code runId}, if any. */
    static Optional<LabOwner> recordedOwner(String runId) {
        try {
            return LabOwner.parse(Files.readString(ownerFile(runId)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static void forget(String runId) {
        try {
            Files.deleteIfExists(ownerFile(runId));
        } catch (IOException | IllegalArgumentException e) {
            // nothing recorded, or already gone
        }
    }

    /** Starts the watchdog of lab {@code runId} owned by this JVM (unless -Dconlimit.lab.watchdog=false). */
    static void start(String runId) throws IOException {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return;
        }
        LabOwner owner = LabOwner.current();
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            cmd.add("setsid");
        }
        cmd.addAll(List.of("sh", "-c", script(owner, ownerFile(runId), LabNames.serverNamespace(runId),
                LabNames.clientNamespace(runId))));
        new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The watchdog's shell script (names are checked by LabNames: no quoting is needed). */
    static String script(LabOwner owner, Path file, String srv, String cli) {
        return "o=" + owner.pid() + "; st=" + owner.startTicks() + "; f='" + file + "'\n"
                + "alive() { [ -r /proc/$o/stat ] || return 1; [ \"$st\" = 0 ] && return 0; "
                + "[ \"$(sed 's/^.*) //' /proc/$o/stat | cut -d' ' -f20)\" = \"$st\" ]; }\n"
                + "while [ -e \"$f\" ] && alive; do sleep 0.5; done\n"
                + "[ -e \"$f\" ] || exit 0\n"
                + "for ns in " + srv + " " + cli + "; do\n"
                + "  if [ -e /run/netns/$ns ]; then ip netns pids $ns | xargs -r kill -KILL; ip netns del $ns; fi\n"
                + "done\n"
                + "rm -f \"$f\"\n";
    }
}
