package io.conlimit.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OverridePathTest {
    private static String resolved(String path, boolean lab) {
        return OverridePath.format(OverridePath.resolveAliases(OverridePath.parse(path), lab));
    }

    @Test
    void keysIndexesAndSysctlNames() {
        assertEquals("load[0].burst", OverridePath.format(OverridePath.parse("load[0].burst")));
        assertEquals(List.of("target", "lab", "server", "sysctls", "net.core.somaxconn"),
                OverridePath.parse("target.lab.server.sysctls.net.core.somaxconn").stream().map(Object::toString).toList());
        assertEquals("expect[2]", OverridePath.format(OverridePath.parse("expect[2]")));
    }

    @Test
    void aliases() {
        assertEquals("target.embedded.backlog", resolved("server.backlog", false));
        assertEquals("target.lab.server.embedded.backlog", resolved("server.backlog", true));
        assertEquals("target.lab.server.sysctls.net.core.somaxconn", resolved("lab.server.sysctls.net.core.somaxconn", true));
        assertEquals("target.lab.server.sysctls.net.core.somaxconn", resolved("server.sysctls.net.core.somaxconn", false));
        assertEquals("client.connect-timeout", resolved("client.connect-timeout", true));
    }

    @Test
    void badPaths() {
        assertEquals("'a..b' is not a path", assertThrows(IllegalArgumentException.class, () -> OverridePath.parse("a..b")).getMessage());
        assertEquals("'a.' ends with a dot", assertThrows(IllegalArgumentException.class, () -> OverridePath.parse("a.")).getMessage());
        assertEquals("'x[y]' is not a path", assertThrows(IllegalArgumentException.class, () -> OverridePath.parse("x[y]")).getMessage());
    }
}
