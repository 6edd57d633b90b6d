package io.peat.quic;

import static io.peat.quic.InMemPair.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The exchange's timer thread lives only while exchanges are pending, so closed transports leak no thread (TCK T5.2). */
@Timeout(30)
class IdentityTimerTest {

    private static boolean timerAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().equals("peat-quic-identity-timer"));
    }

    @Test
    void timerThreadEndsOnceNoExchangeIsPending() throws Exception {
        NodeIdentity dialer = NodeIdentity.generate();
        NodeIdentity acceptor = NodeIdentity.generate();
        try (InMemPair p = new InMemPair()) {
            var dialed = IdentityExchange.dial(p.open(), dialer, acceptor.peerId(), Duration.ofSeconds(10));
            assertEquals(dialer.peerId(), await(IdentityExchange.accept(p.acceptorStream(), acceptor, Duration.ofSeconds(10))));
            await(dialed);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (timerAlive()) {
            assertTrue(System.nanoTime() < deadline, "peat-quic-identity-timer still runs 20 s after the last exchange ended");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }
}
