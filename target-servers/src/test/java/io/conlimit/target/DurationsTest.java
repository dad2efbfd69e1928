package io.conlimit.target;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DurationsTest {
    @Test
    void humanTimesAreTruncatedInTheLargestUsefulUnits() {
        assertEquals("0 ms", Durations.human(-5));
        assertEquals("0 ms", Durations.human(999_999));
        assertEquals("850 ms", Durations.human(850_400_000L));
        assertEquals("14.7 s", Durations.human(14_799_000_000L));
        assertEquals("59.9 s", Durations.human(59_999_000_000L));
        assertEquals("2 min 05 s", Durations.human(125_900_000_000L));
        assertEquals("22 h 15 min", Durations.human(Duration.ofHours(22).plusMinutes(15).plusSeconds(59).toNanos()));
        assertEquals("3 days 4 h", Durations.human(Duration.ofDays(3).plusHours(4).plusMinutes(59).toNanos()));
    }

    @Test
    void parseAndFormatAgree() {
        for (String t : new String[] {"250ms", "2s", "1m", "3h"}) {
            assertEquals(t, Durations.format(Durations.parse(t)));
        }
    }
}
