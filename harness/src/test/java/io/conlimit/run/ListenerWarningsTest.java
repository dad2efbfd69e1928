package io.conlimit.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conlimit.evidence.ConsistencyCheck;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two listener warnings of a run, and the consistency verdict when no listener was there. */
class ListenerWarningsTest {
    @Test
    void nothingListenedOnTheTargetsAddress() {
        assertEquals(Optional.of("nothing listened on 10.0.0.5:8080 on the server's side in any of its 19 samples; on port 8080"
                        + " it listens on [::ffff:127.0.0.1]:8080 (loopback only: no other machine can connect; start the server"
                        + " with --bind 0.0.0.0 or its own address)"),
                ListenerWarnings.noListener("10.0.0.5:8080", 19, 8080, List.of("[::ffff:127.0.0.1]:8080")));
        assertEquals(Optional.of("nothing listened on 10.0.0.5:8080 on the server's side in any of its 3 samples; on port 8080"
                        + " it listens on 10.9.9.9:8080"),
                ListenerWarnings.noListener("10.0.0.5:8080", 3, 8080, List.of("10.9.9.9:8080")));
        assertEquals(Optional.of("nothing listened on 10.0.0.5:8080 on the server's side in any of its 3 samples, and nothing"
                        + " listens on port 8080 there now: is the server running, on that port?"),
                ListenerWarnings.noListener("10.0.0.5:8080", 3, 8080, List.of()));
        assertEquals(Optional.empty(), ListenerWarnings.noListener("10.0.0.5:8080", 0, 8080, List.of()), "no sample, no claim");
    }

    @Test
    void aBacklogBelowSomaxconnIsTheNotRestartedServerOrAFixedBacklog() {
        Map<String, Object> settings = Map.of("sysctls", Map.of("net.core.somaxconn", "4096"));
        assertEquals(Optional.of("the listener's backlog is 128 (ss Send-Q) while net.core.somaxconn on the server is now 4096:"
                        + " a listener keeps the backlog it got from listen(), min(asked, somaxconn at that moment). Either the"
                        + " server started before somaxconn was raised (restart it to get up to 4096) or it asks for 128 itself"
                        + " (a compile-time SOMAXCONN, a configured backlog: raise that)"),
                ListenerWarnings.backlogBelowSomaxconn(128, settings));
        assertEquals(Optional.empty(), ListenerWarnings.backlogBelowSomaxconn(4096, settings));
        assertEquals(Optional.empty(), ListenerWarnings.backlogBelowSomaxconn(128, Map.of()), "somaxconn unknown: no claim");
        assertEquals(Optional.empty(), ListenerWarnings.backlogBelowSomaxconn(-1, settings), "no listener: the other warning");
    }

    @Test
    void warningsAreAppendedToTheSummarysList() {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        ListenerWarnings.record(s, "one");
        ListenerWarnings.record(s, "two");
        assertEquals("[\"one\",\"two\"]", s.path("warnings").toString());
    }

    @Test
    void noListenerMeansTheCountersAreNotThisRunsStory() {
        ConsistencyCheck.Verdict v = ConsistencyCheck.noListener(new ConsistencyCheck.ClientView(0, 0, 0, -1, -1, 1000), 19,
                Map.of("ListenOverflows", 0L));
        assertEquals(ConsistencyCheck.Status.INCONCLUSIVE, v.status());
        assertEquals("The server's kernel had no listener on the target's address and port in any of its 19 samples, so its"
                + " counters are not this run's story. The client's connections were refused 1000 times (an RST to the SYN:"
                + " nothing listens on that address and port). Check the server's --bind (a server bound to 127.0.0.1 cannot be"
                + " reached from another machine) and its port.", v.explanation());
        assertEquals(0L, v.compared().get("server_samples_with_listener"));
    }
}
