package io.conlimit.theory;

import io.conlimit.target.BacklogRequest;
import io.conlimit.target.HoldSpec;
import io.conlimit.target.ServerConfig;
import io.conlimit.target.ServerKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.OptionalInt;

import static io.conlimit.theory.Models.ms;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceModelTest {
    @Test
    void concurrentLimitIsWorkersPlusQueuePlusBacklogPlusOne() {
        assertEquals(OptionalInt.of(11), Models.pool(2, 8, null).concurrentLimit());
        assertEquals(OptionalInt.of(17), Models.threadPool(3, 5, 8, null).concurrentLimit());
        assertEquals(OptionalInt.empty(), Models.sleepy(ms(100), 8).concurrentLimit());
        assertEquals(OptionalInt.empty(), Models.eventLoop(128).concurrentLimit());
        assertEquals(OptionalInt.empty(), ServiceModel.external(8, 4096).concurrentLimit());
        assertEquals(OptionalInt.empty(), Models.pool(2, -1, null).concurrentLimit(), "B unknown");
    }

    @Test
    void serviceRateIsWorkersOverMeanHold() {
        assertEquals(40.0, Models.pool(4, 64, ms(100)).serviceRate(), 1e-9);
        assertEquals(0.0, Models.pool(4, 64, null).serviceRate(), "hold for ever: mu = 0");
        assertEquals(Double.POSITIVE_INFINITY, Models.pool(4, 64, Duration.ZERO).serviceRate());
        assertEquals(10.0, Models.sleepy(ms(100), 8).serviceRate(), 1e-9, "sleepy-accept: 1 / accept delay");
        assertEquals(Double.POSITIVE_INFINITY, Models.eventLoop(8).serviceRate());
        assertTrue(Double.isNaN(ServiceModel.external(8, 4096).serviceRate()));
    }

    @Test
    void clampedOnlyWhenTheRequestExceededSomaxconn() {
        assertTrue(new ServiceModel(ServerKind.BLOCKING_POOL, 1, 0, 128, 4096, 128, null, null).clamped());
        assertFalse(new ServiceModel(ServerKind.BLOCKING_POOL, 1, 0, 128, 128, 4096, null, null).clamped(), "a constant 128 stays 128");
        assertFalse(new ServiceModel(ServerKind.BLOCKING_POOL, 1, 0, 128, 4096, -1, null, null).clamped(), "somaxconn unknown");
    }

    @Test
    void fromServerConfig() {
        ServerConfig c = ServerConfig.builder(ServerKind.THREAD_POOL).workers(3).queue(5).backlog(BacklogRequest.max())
                .hold(new HoldSpec.Exponential(ms(200))).build();
        ServiceModel m = ServiceModel.of(c, 4096, 4096);
        assertEquals(Integer.MAX_VALUE, m.requestedBacklog());
        assertEquals(ms(200), m.holdMean());
        assertEquals(15.0, m.serviceRate(), 1e-9);
        assertEquals(8, m.applicationSlots());
        assertEquals(4105, m.concurrentLimit().getAsInt());
        assertTrue(m.clamped());
        ServiceModel d = ServiceModel.of(ServerConfig.builder(ServerKind.BLOCKING_POOL).backlog(BacklogRequest.runtimeDefault()).build(), 50, 4096);
        assertEquals(50, d.requestedBacklog(), "Java's default 50 is what listen() got");
        assertEquals("blocking-pool W=4 B=50", d.describe());
    }
}
