package io.peat.transport.kwik.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The send-request repair (KWIK-STALL.md) reaches Kwik's internals by reflection; this fails when a Kwik upgrade (or a
 * closed package) silently turns it off, which would bring back the T3.7 tail/FIN stall.
 */
class KwikSendKickTest {
    @Test
    void kwikInternalsAreReachable() {
        assertTrue(KwikSendKick.AVAILABLE, "KwikSendKick could not reach tech.kwik.core.stream.StreamOutputStreamImpl's"
                + " sendBuffer / retransmitBuffer / sendRequestsQueued / scheduleSendStreamFrameRequest(boolean)");
    }
}
