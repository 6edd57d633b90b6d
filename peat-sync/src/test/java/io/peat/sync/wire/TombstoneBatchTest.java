package io.peat.sync.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peat.spi.ProtocolViolationException;
import io.peat.sync.wire.TombstoneRecord.Direction;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TombstoneBatchTest {
    private static final HexFormat HEX = HexFormat.of();

    // count=1, len=29 (0x1d), then the golden record of TombstoneRecordTest
    private static final String GOLDEN = "00000001" + "0000001d" + TombstoneRecordTest.GOLDEN;

    @Test
    void goldenRecordIsTwentyNineBytes() {
        // 2+1 + 2+1 + 8 + 8 + 2+1 + 2+1 + 1
        assertEquals(29, HEX.parseHex(TombstoneRecordTest.GOLDEN).length);
    }

    @Test
    void encodesToSpecLayoutBytes() {
        assertArrayEquals(HEX.parseHex(GOLDEN), TombstoneBatch.encode(List.of(TombstoneRecordTest.goldenRecord())));
    }

    @Test
    void decodesSpecLayoutBytes() {
        assertEquals(List.of(TombstoneRecordTest.goldenRecord()), TombstoneBatch.decode(HEX.parseHex(GOLDEN)));
    }

    @Test
    void emptyBatchIsJustAZeroCount() {
        assertArrayEquals(HEX.parseHex("00000000"), TombstoneBatch.encode(List.of()));
        assertEquals(List.of(), TombstoneBatch.decode(HEX.parseHex("00000000")));
    }

    @Test
    void roundTripPreservesRecordsInOrder() {
        List<TombstoneRecord> records = List.of(
                new TombstoneRecord("a", "1", 10, 1, "x", Optional.empty(), Direction.BIDIRECTIONAL),
                new TombstoneRecord("b", "2", 20, 2, "y", Optional.of("why"), Direction.DOWN_ONLY),
                new TombstoneRecord("c", "3", 30, 3, "z", Optional.empty(), Direction.SYSTEM_WIDE));

        assertEquals(records, TombstoneBatch.decode(TombstoneBatch.encode(records)));
    }

    @Test
    void everyTruncationIsAProtocolViolation() {
        byte[] full = HEX.parseHex(GOLDEN);
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThrows(ProtocolViolationException.class, () -> TombstoneBatch.decode(cut), "truncated to " + len + " bytes");
        }
    }

    @Test
    void countLargerThanItemsIsAProtocolViolation() {
        byte[] bytes = HEX.parseHex("00000002" + "0000001d" + TombstoneRecordTest.GOLDEN);

        assertThrows(ProtocolViolationException.class, () -> TombstoneBatch.decode(bytes));
    }

    @Test
    void hugeItemLengthIsAProtocolViolationNotAnAllocation() {
        byte[] bytes = HEX.parseHex("00000001" + "ffffffff" + "00");

        assertThrows(ProtocolViolationException.class, () -> TombstoneBatch.decode(bytes));
    }

    @Test
    void itemWithUnknownDirectionIsAProtocolViolation() {
        byte[] bytes = HEX.parseHex(GOLDEN);
        bytes[bytes.length - 1] = 9;

        assertThrows(ProtocolViolationException.class, () -> TombstoneBatch.decode(bytes));
    }

    @Test
    void trailingBytesAreAProtocolViolation() {
        assertThrows(ProtocolViolationException.class, () -> TombstoneBatch.decode(HEX.parseHex(GOLDEN + "00")));
    }
}
