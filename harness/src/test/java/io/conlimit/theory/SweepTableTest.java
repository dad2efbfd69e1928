package io.conlimit.theory;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SweepTableTest {
    @Test
    void oneRowPerCell() throws Exception {
        SweepTable t = new SweepTable();
        var s8 = new ObjectMapper().readTree("{\"held_max\": 11, \"outcomes\": {\"ok\": 11, \"connect-timeout\": 3, \"reset\": 0},"
                + " \"connect_ms\": {\"p99\": 0.41}, \"expectations\": [{\"passed\": true}, {\"passed\": false}]}");
        t.add("backlog=8", Comparison.of(PredictorTest.predict(Models.pool(2, 8, null), PredictorTest.PROBE), s8), s8);
        t.addFailed("backlog=16", "port in use");
        assertEquals(2, t.size());
        assertEquals("cell,binding,quantity,predicted,measured,ok,connected,unserved,app-refused,connect-timeout,reset,connect p99 ms,expectations\n"
                + "backlog=8,backlog,held_max,11,11,11,n/a,n/a,n/a,3,0,0.41,1/2 passed\n"
                + "backlog=16,run failed: port in use,-,-,-,-,-,-,-,-,-,-,-\n", t.csv());
        assertEquals("""
                cell       | binding                 | quantity | predicted | measured | ok | connected | unserved | app-refused | connect-timeout | reset | connect p99 ms | expectations
                ---------- | ----------------------- | -------- | --------- | -------- | -- | --------- | -------- | ----------- | --------------- | ----- | -------------- | ------------
                backlog=8  | backlog                 | held_max |        11 |       11 | 11 |       n/a |      n/a |         n/a |               3 |     0 |           0.41 |   1/2 passed
                backlog=16 | run failed: port in use | -        |         - |        - |  - |         - |        - |           - |               - |     - |              - |            -
                """, t.render());
    }
}
