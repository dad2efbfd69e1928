package io.conlimit.fleet;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
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

    @Test
    void badInputNamesTheFlag() {
        for (String bad : new String[] {"", "localhost", "127.0.0.9-127.0.0.1", "300.0.0.1", "127.0.0.1-::1", "10.0.0.0-10.1.0.0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourceAddresses.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--source"), e.getMessage());
        }
    }
}
