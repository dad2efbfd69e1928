package io.conlimit.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SysctlsAndKernelInfoTest {

    @Test
    void readsWholeIntegerSysctlsAsCatDoes() throws Exception {
        // proc_dointvec answers a read at offset > 0 with EOF: a reader that reads 1 byte first gets "4" for 4096
        Path p = Path.of("/proc/sys/net/core/somaxconn");
        assumeTrue(Files.exists(p), "no /proc/sys here");
        String cat = Commands.run(List.of("cat", p.toString()), 5).trim();
        assertEquals(Integer.parseInt(cat), new Sysctls().somaxconn());
        assertEquals(Commands.run(List.of("cat", "/proc/sys/net/ipv4/ip_local_port_range"), 5).trim().replaceAll("\\s+", " "),
                new Sysctls().read("net.ipv4.ip_local_port_range").orElseThrow());
    }

    @Test
    void kernelInfoHereAndThroughACommandAgree() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/limits")), "no /proc here");
        KernelInfo direct = KernelInfo.collect();
        KernelInfo viaSh = KernelInfo.collect(List.of());
        assertEquals(direct.kernelVersion(), viaSh.kernelVersion());
        assertEquals(direct.sysctls(), viaSh.sysctls());
        assertEquals(direct.openFilesSoft(), viaSh.openFilesSoft());
        assertTrue(direct.sysctls().keySet().containsAll(Sysctls.DECISIVE));
        Map<String, Object> m = direct.toMap();
        assertEquals(List.of("kernel_version", "sysctls", "open_files_limit"), List.copyOf(m.keySet()));
    }

    @Test
    void kernelInfoOfANamespaceShowsItsOwnSysctls() throws Exception {
        try (NetworkNamespace ns = Namespaces.createOrSkip()) {
            ns.sysctl("net.core.somaxconn", "128");
            KernelInfo info = KernelInfo.collect(ns.exec(List.of()));
            assertEquals("128", info.sysctls().get("net.core.somaxconn"));
        }
    }

    /**
     * A created namespace has a table of established sockets of its own, as a machine has (a negative
     * tcp_ehash_entries means the host's shared table); the host's setting for new namespaces is left as it was.
     */
    @Test
    void aCreatedNamespaceHasItsOwnEstablishedTable() throws Exception {
        Path child = Path.of("/proc/sys/net/ipv4/tcp_child_ehash_entries");
        assumeTrue(Files.exists(child), "skipped: this kernel has no per-namespace established table (Linux 6.1+)");
        String hostChild = Files.readString(child).trim();
        try (NetworkNamespace ns = Namespaces.createOrSkip()) {
            assertEquals(Integer.toString(NetworkNamespace.ESTABLISHED_HASH_BUCKETS), ns.readSysctl("net.ipv4.tcp_ehash_entries"));
        }
        assertEquals(hostChild, Files.readString(child).trim());
    }

    @Test
    void parsesOpenFileLimits() {
        List<String> lines = List.of("Limit                     Soft Limit           Hard Limit           Units",
                "Max open files            20000                20000                files");
        String[] f = KernelInfo.parseOpenFiles(lines).orElseThrow();
        assertEquals("20000", f[0]);
        assertEquals("20000", f[1]);
    }
}
