package io.conlimit.lab;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Docker gives each container its own kernel network settings: {@code --sysctl net.core.somaxconn=N}
 * applies inside the container only, and a server there gets N as its effective backlog. Skipped, with the
 * reason, where Docker is not usable ({@link DockerLabCondition}, evaluated before Testcontainers' own check).
 */
@ExtendWith(DockerLabCondition.class)
@Testcontainers(disabledWithoutDocker = true)
class DockerSomaxconnTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** The container's address on its (single) Docker network. */
    private static String ownAddress(GenericContainer<?> c) {
        return c.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }

    private static int hostSomaxconn() throws IOException {
        return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/core/somaxconn")).trim());
    }

    private static GenericContainer<?> withSomaxconn(GenericContainer<?> c, int somaxconn) {
        return c.withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                .withSysctls(Map.of("net.core.somaxconn", Integer.toString(somaxconn))));
    }

    /** Polls the container's output (every 50 ms, until START_TIMEOUT) for the start line; null when it exits first. */
    private static String awaitStartLine(GenericContainer<?> c, StringBuilder logs) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (logs) {
                Optional<String> line = logs.toString().lines().filter(LabProcesses.TARGET_START_LINE).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
            }
            if (!c.isRunning()) {
                return null;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    @Test
    void aContainerSeesItsOwnSomaxconnWhileTheHostKeepsItsOwn() throws Exception {
        int hostBefore = hostSomaxconn();
        assumeTrue(hostBefore != 128, "the host's somaxconn is 128: the test could not tell the kernels apart");
        try (GenericContainer<?> c = withSomaxconn(new GenericContainer<>(DockerImageName.parse(DockerLabCondition.BASE_IMAGE)), 128)
                .withCommand("sleep", "300")) {
            c.start();
            ExecResult r = c.execInContainer("cat", "/proc/sys/net/core/somaxconn");
            assertEquals(0, r.getExitCode(), r.getStderr());
            assertEquals("128", r.getStdout().trim());
            assertEquals(hostBefore, hostSomaxconn(), "the host's somaxconn is untouched");
        }
    }

    @Test
    void aPublishedPortIsRecognisedAsDockersProxyTheContainersOwnAddressIsNot() {
        try (GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(DockerLabCondition.BASE_IMAGE))
                .withCommand("bash", "-c", "echo ready; sleep 300")
                .withExposedPorts(8080) // published on a random host port, through docker-proxy
                .waitingFor(Wait.forLogMessage("ready\\n", 1))) {
            c.start();
            int published = c.getMappedPort(8080);
            Optional<String> w = PublishedPortCheck.warning("127.0.0.1", published);
            assertTrue(w.isPresent(), "127.0.0.1:" + published + " is docker-proxy's");
            assertTrue(w.get().startsWith("target 127.0.0.1:" + published + " is a port published by Docker: docker-proxy (pid "), w.get());
            String own = ownAddress(c);
            assertEquals(Optional.empty(), PublishedPortCheck.warning(own, 8080), "the container's own address");
        }
    }

    @ParameterizedTest(name = "somaxconn={0}")
    @ValueSource(ints = {128, 4096})
    void theTargetServerInAContainerGetsTheContainersSomaxconnAsItsBacklog(int somaxconn) throws Exception {
        String image = DockerLabCondition.TARGET_IMAGE;
        assumeTrue(DockerLabCondition.imageExists(image), () -> "target image " + image + " is not built (docker/build-images.sh)");
        StringBuilder logs = new StringBuilder();
        try (GenericContainer<?> c = withSomaxconn(new GenericContainer<>(DockerImageName.parse(image)), somaxconn)
                .withLogConsumer(frame -> {
                    synchronized (logs) {
                        logs.append(frame.getUtf8String());
                    }
                })) {
            String startLine;
            String launchError = "";
            try {
                c.start(); // its default command: serve blocking-pool --backlog max --port 8080 ...
                startLine = awaitStartLine(c, logs);
            } catch (ContainerLaunchException e) {
                startLine = null;
                launchError = e + "; ";
            }
            String out;
            synchronized (logs) {
                out = logs.toString();
            }
            if (startLine == null && out.contains("Could not find or load main class")) {
                abort("target image " + image + " has no target server main class yet: " + out.trim());
            }
            assertNotNull(startLine, launchError + "the target container printed no start line within "
                    + START_TIMEOUT.toSeconds() + " s; its output:\n" + out);
            Map<String, String> kv = LabProcesses.keyValues(startLine);
            assertEquals(Integer.toString(somaxconn), kv.get("somaxconn"), startLine);
            assertEquals(Integer.toString(somaxconn), kv.get("backlog.effective"), startLine);

            // what the container's kernel says: the listener's Send-Q is the effective backlog
            ExecResult ss = c.execInContainer("ss", "-Hlnt", "sport = :8080");
            assertEquals(0, ss.getExitCode(), ss.getStderr());
            String[] f = ss.getStdout().trim().split("\\s+");
            assertEquals("LISTEN", f[0], ss.getStdout());
            assertEquals(somaxconn, Integer.parseInt(f[2]), ss.getStdout());

            // reached on its own address on the Docker network, with no port published on the host
            Map<?, ?> published = c.getContainerInfo().getHostConfig().getPortBindings().getBindings();
            assertTrue(published.isEmpty(), "no published ports: " + published);
            String address = ownAddress(c);
            assertNotNull(address);
            assertFalse(address.isBlank(), "the container has an address on the bridge");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, 8080), 10_000);
                assertTrue(s.isConnected());
            }
        }
    }
}
