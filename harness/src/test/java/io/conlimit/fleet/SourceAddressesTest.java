package io.conlimit.fleet;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SourceAddressesTest {
    @Test
    void rangesAndLists() {
        List<InetAddress> r = SourceAddresses.parse("127.0.0.1-127.0.0.8");
        assertEquals(8, r.size());
        assertEquals("127.0.0.1", r.get(0).getHostAddress());
        assertEquals("127.0.0.8", r.get(7).getHostAddress());
        assertEquals(List.of("127.0.0.254", "127.0.0.255", "127.0.1.0"),
                SourceAddresses.parse("127.0.0.254-127.0.1.0").stream().map(InetAddress::getHostAddress).toList());
        assertEquals(3, SourceAddresses.parse("127.0.0.1, 127.0.0.2,::1").size());
    }

    /** The text of each address, whatever came before it on the same thread (the last IPv4 text is kept per thread). */
    @Test
    void localAddressText() throws Exception {
        assertEquals("127.0.0.1:40000", SourceAddresses.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40000)));
        assertEquals("127.0.0.1:40001", SourceAddresses.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 40001)));
        assertEquals("127.0.0.2:40001", SourceAddresses.format(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 40001)));
        assertEquals("[0:0:0:0:0:0:0:1]:7", SourceAddresses.format(new InetSocketAddress(InetAddress.getByName("::1"), 7)));
        assertEquals("127.0.0.1:9", SourceAddresses.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9)));
        assertEquals("", SourceAddresses.format(null));
        assertEquals("", SourceAddresses.format(InetSocketAddress.createUnresolved("example.invalid", 80)));
    }

    @Test
    void badInputNamesTheFlag() {
        for (String bad : new String[] {"", "localhost", "127.0.0.9-127.0.0.1", "300.0.0.1", "127.0.0.1-::1", "10.0.0.0-10.1.0.0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourceAddresses.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--source"), e.getMessage());
        }
    }
}
