package io.conlimit.cli;

import io.conlimit.kernel.ChildJava;
import io.conlimit.kernel.ListenQueues;
import io.conlimit.kernel.Namespaces;
import io.conlimit.kernel.NetworkNamespace;
import io.conlimit.kernel.Sysctls;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProbeBacklogCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void showsJavasRuleAndTheClampHere() {
        assumeTrue(ListenQueues.find().isPresent(), "skipped: iproute2's ss is not installed");
        int somaxconn = new Sysctls().somaxconn();
        assumeTrue(somaxconn >= 50, "skipped: somaxconn below 50 here");
        String[] r = run("probe-backlog", "--requested", "-1,default,max,10");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("-1 -> 50 -> 50 (Java replaces a backlog below 1 by 50)"), r[1]);
        assertTrue(r[1].contains("default -> 50 -> 50 (Java replaces a backlog below 1 by 50)"), r[1]);
        assertTrue(r[1].contains("max -> 2147483647 -> " + somaxconn + " (clamped to somaxconn " + somaxconn + ")"), r[1]);
        assertTrue(r[1].contains("10 -> 10 -> 10 (as asked)"), r[1]);
        assertTrue(r[1].contains("SOMAXCONN"), r[1]);
    }

    @Test
    void badInputIsAUsageError() {
        String[] r = run("probe-backlog", "--requested", "12,lots");
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("'lots'"), r[2]);
    }

    @Test
    void jsonHasOneEntryPerRequest() throws Exception {
        assumeTrue(ListenQueues.find().isPresent(), "skipped: iproute2's ss is not installed");
        String[] r = run("probe-backlog", "--requested", "5,max", "--json");
        assertEquals("0", r[0], r[2]);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r[1]);
        assertEquals(2, json.path("probes").size());
        assertEquals(5, json.path("probes").get(0).path("effective").asInt());
        assertEquals(new Sysctls().somaxconn(), json.path("somaxconn").asInt());
    }

    @Test
    void inANamespaceWithSomaxconn128FourThousandAndMaxGive128() throws Exception {
        try (NetworkNamespace ns = Namespaces.createOrSkip()) {
            ns.sysctl("net.core.somaxconn", "128");
            try (ChildJava child = ChildJava.start(ns.exec(ChildJava.command(Main.class, "probe-backlog", "--requested", "4096,max")))) {
                assertEquals(0, child.waitFor(60_000), child.output());
                String out = child.output();
                assertTrue(out.contains("net.core.somaxconn = 128"), out);
                assertTrue(out.contains("4096 -> 4096 -> 128 (clamped to somaxconn 128)"), out);
                assertTrue(out.contains("max -> 2147483647 -> 128 (clamped to somaxconn 128)"), out);
            }
        }
    }
}
