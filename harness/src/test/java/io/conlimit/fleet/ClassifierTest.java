package io.conlimit.fleet;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClassifierTest {

    private static Errors.NativeIoException errno(int err) {
        Assumptions.assumeTrue(Epoll.isAvailable(), "Netty's native transport is not available here");
        return Errors.newIOException("connect", -err);
    }

    @Test
    void theKernelGivingUpOnSynRetransmitsIsAConnectTimeoutNotAnError() {
        assertEquals(Outcome.CONNECT_TIMEOUT, Classifier.onConnect(errno(Classifier.ETIMEDOUT)).outcome());
        assertEquals(Outcome.CONNECT_TIMEOUT, Classifier.onConnect(new ConnectTimeoutException("timed out")).outcome());
    }

    @Test
    void refusedAndClientLimitsByErrno() {
        assertEquals(Outcome.REFUSED, Classifier.onConnect(errno(Classifier.ECONNREFUSED)).outcome());
        assertEquals(Outcome.CLIENT_LIMITED, Classifier.onConnect(errno(24)).outcome());   // EMFILE
        assertEquals(Outcome.CLIENT_LIMITED, Classifier.onConnect(errno(99)).outcome());   // EADDRNOTAVAIL
        assertEquals(Outcome.REFUSED, Classifier.onConnect(new ConnectException("Connection refused")).outcome());
        assertEquals(Outcome.ERROR, Classifier.onConnect(errno(113)).outcome());           // EHOSTUNREACH: reported as is
    }
}
