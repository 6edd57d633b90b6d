package io.peat.sync.wire;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ProtocolViolationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NegentropyMessageTest {

    @Test
    void versionByteAloneMeansReconciliationIsDone() {
        assertTrue(NegentropyMessage.checkV1(new byte[] {0x61}));
    }

    @Test
    void v1MessageWithRangesIsAcceptedAndNotDone() {
        // 0x61, then one range: bound (timestamp 0 = infinity, prefixLen 0), mode 0 (Skip)
        assertFalse(NegentropyMessage.checkV1(new byte[] {0x61, 0x00, 0x00, 0x00}));
    }

    @Test
    void emptyMessageIsRejected() {
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> NegentropyMessage.checkV1(new byte[0]));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(bytes = {0x00, 0x60, 0x62, (byte) 0xe1, (byte) 0xff})
    void otherFirstBytesAreRejected(byte first) {
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> NegentropyMessage.checkV1(new byte[] {first, 0x00}));
        assertTrue(e.getMessage().contains(String.format("0x%02x", first & 0xff)), e.getMessage());
    }
}
