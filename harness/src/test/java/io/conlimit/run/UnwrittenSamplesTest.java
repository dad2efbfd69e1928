package io.conlimit.run;

import io.conlimit.kernel.ListenQueueSampler.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnwrittenSamplesTest {
    private static List<Sample> samples(int from, int to) {
        List<Sample> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(new Sample(i, 0, 16, Map.of()));
        }
        return out;
    }

    @Test
    void whileWritesFailTheOldestAreDroppedAndCounted() {
        UnwrittenSamples u = new UnwrittenSamples(5);
        u.add(samples(0, 3));
        u.add(samples(3, 7)); // a write failed in between: 7 wait, 5 are kept
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L), u.waiting().stream().map(Sample::nanos).toList());
        assertEquals(2, u.dropped());
        u.written();
        u.add(samples(7, 9));
        assertEquals(List.of(7L, 8L), u.waiting().stream().map(Sample::nanos).toList());
        assertEquals(2, u.dropped(), "a successful write drops nothing");
        assertEquals(36_000, UnwrittenSamples.MAX, "an hour at the default 10 Hz");
    }
}
