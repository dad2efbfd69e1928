package io.conlimit.docs;

import io.conlimit.lab.LabProcesses;
import io.conlimit.util.ClientJvm;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client's JVM options are spelled once in Java and twice outside it: the launcher and the image agree. */
class ClientJvmTest {
    @Test
    void theLauncherRunsTheClientWithTheseOptions() throws IOException {
        Matcher m = Pattern.compile("(?m)^opts=\\((.*)\\)$").matcher(Files.readString(DocShell.REPO.resolve("conlimit")));
        assertTrue(m.find(), "the launcher's opts=(...) line");
        assertEquals(ClientJvm.OPTIONS, Arrays.asList(m.group(1).trim().split("\\s+")));
    }

    @Test
    void theImageRunsTheClientWithTheseOptions() throws IOException {
        Matcher m = Pattern.compile("(?m)^ENTRYPOINT \\[(.*)\\]$")
                .matcher(Files.readString(DocShell.REPO.resolve("docker/Dockerfile.harness")));
        assertTrue(m.find(), "Dockerfile.harness's ENTRYPOINT");
        List<String> words = Arrays.stream(m.group(1).split(",")).map(w -> w.trim().replace("\"", "")).toList();
        assertEquals("java", words.get(0));
        assertEquals(ClientJvm.OPTIONS, words.subList(1, words.indexOf("-jar")));
    }

    @Test
    void theLabsClientRunsWithThem() {
        List<String> cmd = LabProcesses.conlimitCommand(List.of("run"));
        assertEquals(ClientJvm.OPTIONS, cmd.subList(1, 1 + ClientJvm.OPTIONS.size()));
    }
}
