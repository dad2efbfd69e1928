package io.conlimit.target.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What serve tells a person about to load it from another machine. */
class RemoteAddressTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal); // a literal: never a lookup
    }

    @Test
    void theAddressARemoteClientMustTarget() throws Exception {
        List<InetAddress> ifs = List.of(ip("192.0.2.10"), ip("2001:db8::10"));
        assertEquals(List.of("clients on other machines: --target 192.0.2.10:8080 or --target [2001:db8::10]:8080"),
                RemoteAddress.lines(new InetSocketAddress(ip("0.0.0.0"), 8080), 8080, ifs));
        assertEquals(List.of("clients on other machines: --target 198.18.1.1:8080"),
                RemoteAddress.lines(new InetSocketAddress(ip("198.18.1.1"), 8080), 8080, ifs));
        assertEquals(List.of("clients on other machines: --target 198.18.1.1:41234 (port 41234 was chosen by the kernel and"
                        + " changes at every start: give --port to keep it)"),
                RemoteAddress.lines(new InetSocketAddress(ip("198.18.1.1"), 41234), 0, ifs));
    }

    @Test
    void loopbackOnlyIsAWarning() throws Exception {
        assertEquals(List.of("warning: listening on 127.0.0.1:8080 only (loopback): no other machine can connect; for a client"
                        + " on another machine use --bind 0.0.0.0 (or one of this machine's addresses, e.g. 192.0.2.10) and a fixed --port"),
                RemoteAddress.lines(new InetSocketAddress(ip("127.0.0.1"), 8080), 8080, List.of(ip("192.0.2.10"))));
        assertEquals(List.of("warning: listening on [::1]:8080 only (loopback): no other machine can connect; for a client"
                        + " on another machine use --bind 0.0.0.0 (or one of this machine's addresses) and a fixed --port"),
                RemoteAddress.lines(new InetSocketAddress(ip("::1"), 8080), 8080, List.of()));
        assertEquals(List.of("warning: listening on 0.0.0.0:8080 but this machine has no address other than loopback: no other"
                        + " machine can reach it"),
                RemoteAddress.lines(new InetSocketAddress(ip("0.0.0.0"), 8080), 8080, List.of()));
    }
}
