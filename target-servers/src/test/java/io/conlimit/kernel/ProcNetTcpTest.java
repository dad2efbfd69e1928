package io.conlimit.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Parsing of /proc/net/tcp and tcp6 text captured on this (little-endian x86-64) machine, Linux 6.18. */
class ProcNetTcpTest {
    private static final String TCP4 = ""
            + "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     \n"
            + "   0: 0100007F:98F3 00000000:0000 0A 00000000:00000003 00:00000000 00000000     0        0 70212304 1 0000000000000000 100 0 0 10 0                  \n"
            + "   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1116 1 0000000000000000 100 0 0 10 0                      \n"
            + "   2: 0100007F:C2A4 0100007F:98F3 01 00000000:00000000 00:00000000 00000000     0        0 70212310 1 0000000000000000 20 4 30 10 -1               \n"
            + "   3: 0500007F:1F90 00000000:0000 0A 00000000:0000001F 00:00000000 00000000     0        0 999 1 0000000000000000 100 0 0 10 0                       \n"
            + "   4: 0100007F:98F3 0100007F:C2A6 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000                                     \n";

    private static final String TCP6 = ""
            + "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            + "   0: 00000000000000000000000001000000:D49F 00000000000000000000000000000000:0000 0A 00000000:00000004 00:00000000 00000000     0        0 70212305 1 0000000000000000 100 0 0 10 0\n"
            + "   1: 0000000000000000FFFF00000200007F:9281 00000000000000000000000000000000:0000 0A 00000000:00000005 00:00000000 00000000     0        0 70212306 1 0000000000000000 100 0 0 10 0\n"
            + "   2: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0\n"
            + "   3: 0000000000000000FFFF00000100007F:A7A7 0000000000000000FFFF00000100007F:C540 06 00000000:00000000 03:00000A05 00000000     0        0 0 3 0000000000000000\n";

    @Test
    void ipv4RowsUpToTheFirstNonListenRow() {
        // row 3 is a LISTEN row after an ESTABLISHED one: the kernel never writes that, and the reader stops before it
        assertEquals(List.of(new ProcNetTcp.Listener("127.0.0.1:39155", 39155, 3, 70212304L),
                new ProcNetTcp.Listener("0.0.0.0:2024", 2024, 0, 1116L)), ProcNetTcp.parse(TCP4));
    }

    @Test
    void ipv6RowsIncludingMappedAndWildcard() {
        assertEquals(List.of(new ProcNetTcp.Listener("[::1]:54431", 54431, 4, 70212305L),
                new ProcNetTcp.Listener("[::ffff:127.0.0.2]:37505", 37505, 5, 70212306L),
                new ProcNetTcp.Listener("[::]:22", 22, 0, 4242L)), ProcNetTcp.parse(TCP6));
    }

    @Test
    void queueLengthIsHex() {
        List<ProcNetTcp.Listener> out = new java.util.ArrayList<>();
        ProcNetTcp.parseRow("   0: 0500007F:1F90 00000000:0000 0A 00000000:0000001F 00:00000000 00000000     0        0 999 1 0 100 0 0 10 0", out);
        assertEquals(new ProcNetTcp.Listener("127.0.0.5:8080", 8080, 31, 999L), out.get(0));
    }

    @Test
    void addressesAreWordsInHostByteOrder() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "captured text is from a little-endian machine");
        assertEquals("127.0.0.1", ProcNetTcp.address("0100007F"));
        assertEquals("10.1.2.3", ProcNetTcp.address("0302010A"));
        assertEquals("0.0.0.0", ProcNetTcp.address("00000000"));
        assertEquals("::1", ProcNetTcp.address("00000000000000000000000001000000"));
        assertEquals("::", ProcNetTcp.address("00000000000000000000000000000000"));
        assertEquals("::ffff:127.0.0.1", ProcNetTcp.address("0000000000000000FFFF00000100007F"));
        // fe80::1 and 2001:db8::5:0:0:1 (words fe800000 00000000 00000000 00000001 in network order)
        assertEquals("fe80::1", ProcNetTcp.address("000080FE000000000000000001000000"));
        assertEquals("2001:db8::5:0:0:1", ProcNetTcp.address("B80D0120000000000000050001000000"));
        assertThrows(IllegalArgumentException.class, () -> ProcNetTcp.address("0100"));
    }

    @Test
    void ipv6TextIsWhatInetNtopWrites() {
        assertEquals("1:0:0:2::3", ProcNetTcp.ipv6(bytes(1, 0, 0, 2, 0, 0, 0, 3)));
        assertEquals("2001:db8::", ProcNetTcp.ipv6(bytes(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0)));
        assertEquals("1:0:2:3:4:5:6:7", ProcNetTcp.ipv6(bytes(1, 0, 2, 3, 4, 5, 6, 7)), "a single zero group is not compressed");
        assertEquals("1::3:0:0:4:0", ProcNetTcp.ipv6(bytes(1, 0, 0, 3, 0, 0, 4, 0)), "the first of two equal runs");
        assertEquals("::1.2.3.4", ProcNetTcp.ipv6(bytes(0, 0, 0, 0, 0, 0, 0x102, 0x304)));
        assertEquals("::ffff:10.0.0.1", ProcNetTcp.ipv6(bytes(0, 0, 0, 0, 0, 0xffff, 0x0a00, 1)));
    }

    private static byte[] bytes(int... words) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[2 * i] = (byte) (words[i] >> 8);
            b[2 * i + 1] = (byte) words[i];
        }
        return b;
    }

    @Test
    void aListenRowThatDoesNotParseIsAnError() {
        assertThrows(IllegalArgumentException.class,
                () -> ProcNetTcp.parseRow("   0: 0100007F:98F3 00000000:0000 0A 00000000:00000003", new java.util.ArrayList<>()));
    }

    @Test
    void readsFilesLongerThanOneChunkAndStopsAtTheFirstOtherRow(@TempDir Path dir) throws Exception {
        StringBuilder tcp = new StringBuilder(TCP4.substring(0, TCP4.indexOf('\n') + 1));
        for (int i = 0; i < 100; i++) { // 100 rows of 150 bytes: rows cross the 4096-byte read boundaries
            String row = String.format("%4d: 0100007F:%04X 00000000:0000 0A 00000000:%08X 00:00000000 00000000     0        0 %d 1 0000000000000000 100 0 0 10 0",
                    i, 10_000 + i, i % 7, 5000 + i);
            tcp.append(row).append(" ".repeat(149 - row.length())).append('\n');
        }
        tcp.append("  100: 0100007F:C2A4 0100007F:98F3 01 00000000:00000000 00:00000000 00000000     0        0 7 1 0 20 4 30 10 -1\n");
        tcp.append("  101: 0100007F:2710 00000000:0000 0A 00000000:00000009 00:00000000 00000000     0        0 8 1 0 100 0 0 10 0\n");
        Files.writeString(dir.resolve("tcp"), tcp);
        Files.writeString(dir.resolve("tcp6"), TCP6);
        Files.writeString(dir.resolve("netstat"), "TcpExt: ListenOverflows ListenDrops\nTcpExt: 7 9\n");
        try (ProcNet net = ProcNet.at(dir)) {
            for (int round = 0; round < 2; round++) { // the same open files read twice
                List<ProcNetTcp.Listener> all = net.listeners();
                assertEquals(103, all.size(), "100 IPv4 rows (not the one after the ESTABLISHED row) + 3 IPv6");
                for (int i = 0; i < 100; i++) {
                    assertEquals(new ProcNetTcp.Listener("127.0.0.1:" + (10_000 + i), 10_000 + i, i % 7, 5000L + i), all.get(i));
                }
                assertEquals(List.of(all.get(0)), net.listeners(10_000));
                assertEquals(List.of(new ProcNetTcp.Listener("[::]:22", 22, 0, 4242L)), net.listeners(22));
            }
            assertEquals(Map.of("ListenOverflows", 7L, "ListenDrops", 9L), TcpExtCounters.from(net).read());
        }
    }

    @Test
    void followingOneSocketReadsItsOwnFileUpToItsRow(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tcp"), TCP4);
        Files.writeString(dir.resolve("tcp6"), TCP6);
        try (ProcNet net = ProcNet.at(dir)) {
            List<ProcNetTcp.Listener> all = net.listeners();
            for (ProcNetTcp.Listener l : all) {
                assertEquals(Optional.of(l), net.follow(l), "found again in its own file: " + l);
            }
            // an inode that is not listening (any more), or listening in the other file only, is not found
            assertEquals(Optional.empty(), net.follow(new ProcNetTcp.Listener("127.0.0.1:1", 1, 0, 12345L)));
            assertEquals(Optional.empty(), net.follow(new ProcNetTcp.Listener("127.0.0.1:2024", 2024, 0, 70212305L)));
            // the LISTEN row after the ESTABLISHED one is beyond the listening section: not found
            assertEquals(Optional.empty(), net.follow(new ProcNetTcp.Listener("127.0.0.5:8080", 8080, 31, 999L)));
        }
    }

    @Test
    void tcp6AndNetstatAreOptional(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tcp"), TCP4);
        try (ProcNet net = ProcNet.at(dir)) {
            assertEquals(2, net.listeners().size());
            assertTrue(!net.hasNetstat());
            assertThrows(java.io.IOException.class, net::netstat);
        }
        Files.delete(dir.resolve("tcp"));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ProcNet.at(dir));
    }

    @Test
    void matchingRulesAreThoseOfFind() {
        List<ProcNetTcp.Listener> both = ProcNetTcp.parse(TCP6);
        // exact, in any IPv6 spelling
        assertEquals(54431, match(both, "::1", 54431).orElseThrow().port());
        assertEquals(54431, match(both, "0:0:0:0:0:0:0:1", 54431).orElseThrow().port());
        // an IPv4 host finds the IPv4-mapped form of a dual-stack socket
        assertEquals(37505, match(both, "127.0.0.2", 37505).orElseThrow().port());
        // the wildcard when nothing is bound to the address
        List<ProcNetTcp.Listener> port22 = List.of(
                new ProcNetTcp.Listener("127.0.0.7:22", 22, 1, 1L), new ProcNetTcp.Listener("[::]:22", 22, 2, 2L));
        assertEquals(2L, match(port22, "10.0.0.1", 22).orElseThrow().inode());
        assertEquals(1L, match(port22, "127.0.0.7", 22).orElseThrow().inode());
        // the port's only listener (NAT: the server sees another address than the client targets)...
        List<ProcNetTcp.Listener> natted = List.of(new ProcNetTcp.Listener("10.1.2.3:22", 22, 1, 3L));
        assertEquals(3L, match(natted, "203.0.113.9", 22).orElseThrow().inode());
        // ...but never a loopback listener for a target that is not loopback, nor the reverse: no connection of the
        // client's can reach it (the two-machine run whose server was started with its default --bind 127.0.0.1)
        assertTrue(match(List.of(port22.get(0)), "10.0.0.1", 22).isEmpty());
        assertTrue(match(natted, "127.0.0.1", 22).isEmpty());
        assertTrue(match(List.of(new ProcNetTcp.Listener("[::ffff:127.0.0.1]:22", 22, 1, 4L)), "198.18.1.1", 22).isEmpty());
        // and never a guess among several others
        List<ProcNetTcp.Listener> two = List.of(
                new ProcNetTcp.Listener("127.0.0.7:22", 22, 1, 1L), new ProcNetTcp.Listener("127.0.0.8:22", 22, 2, 2L));
        assertTrue(match(two, "10.0.0.1", 22).isEmpty());
    }

    private static Optional<ProcNetTcp.Listener> match(List<ProcNetTcp.Listener> l, String host, int port) {
        return ListenQueues.match(l.stream().filter(s -> s.port() == port).toList(), ProcNetTcp.Listener::local, host, port);
    }

    @Test
    void ssInodesAreParsed() {
        String out = "LISTEN 0      128               0.0.0.0:2024 0.0.0.0:* ino:1116 sk:1 cgroup:/ <->                 \n"
                + "LISTEN 3      7      [::ffff:127.0.0.1]:9000       *:* ino:60930700 sk:11f11 cgroup:/ v6only:0 <->\n"
                + "LISTEN 0      5      127.0.0.1:9 0.0.0.0:* sk:2\n";
        assertEquals(Map.of(1116L, new ListenSocket("0.0.0.0:2024", 2024, 0, 128),
                60930700L, new ListenSocket("[::ffff:127.0.0.1]:9000", 9000, 3, 7)), ListenQueues.parseWithInodes(out));
    }
}
