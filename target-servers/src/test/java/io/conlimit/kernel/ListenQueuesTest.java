package io.conlimit.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ListenQueuesTest {
    @Test
    void parsesSsOutputIncludingMappedAddresses() {
        String out = "LISTEN 5      4      [::ffff:127.0.0.1]:40000      *:*\n"
                + "LISTEN 0      4096   0.0.0.0:22 0.0.0.0:*\n"
                + "garbage line\n";
        List<ListenSocket> l = ListenQueues.parse(out);
        assertEquals(List.of(new ListenSocket("[::ffff:127.0.0.1]:40000", 40000, 5, 4),
                new ListenSocket("0.0.0.0:22", 22, 0, 4096)), l);
    }
}
