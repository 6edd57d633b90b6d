package io.peat.sync.internal.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.peat.spi.ProtocolViolationException;
import org.junit.jupiter.api.Test;

/** Issue 10, fault 5: protocol errors are all counted, and logged at a bounded rate (one line per peer per interval). */
class PeerCountersTest {

    @Test
    void aFloodOfProtocolErrorsIsCountedInFullAndLoggedOnce() {
        PeerCounters c = new PeerCounters();
        int logged = 0;
        ProtocolViolationException last = null;
        for (int i = 0; i < 5000; i++) {
            last = new ProtocolViolationException("bad frame " + i);
            if (c.recordProtocolError(last)) {
                logged++;
            }
        }
        assertEquals(5000, c.protocolErrors.get());
        assertSame(last, c.lastProtocolViolation.get());
        assertEquals(1, logged, "5,000 errors within one interval log one line");
    }
}
