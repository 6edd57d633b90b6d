package io.peat.sync.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peat.spi.ProtocolViolationException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncBatchTest {
    private static final HexFormat HEX = HexFormat.of();

    // batch_id=1, created_at_ms=0x0102030405060708, ttl=5, entry_count=1,
    // entry: key_len=3 "a:b" type=0x00 len=1 payload=aa
    private static final String GOLDEN = "0000000000000001" + "0102030405060708" + "05" + "00000001"
            + "0003" + "613a62" + "00" + "00000001" + "aa";

    private static SyncBatch goldenBatch() {
        return new SyncBatch(1L, 0x0102030405060708L, 5, List.of(Frame.of("a:b", MessageType.DELTA_SYNC, new byte[] {(byte) 0xaa})));
    }

    @Test
    void encodesToSpecLayoutBytes() {
        assertArrayEquals(HEX.parseHex(GOLDEN), goldenBatch().encode());
    }

    @Test
    void decodesSpecLayoutBytes() {
        assertEquals(goldenBatch(), SyncBatch.decode(HEX.parseHex(GOLDEN)));
    }

    @Test
    void emptyBatchIsTwentyOneBytes() {
        byte[] bytes = new SyncBatch(-1L, 7L, SyncBatch.DEFAULT_TTL, List.of()).encode();

        assertArrayEquals(HEX.parseHex("ffffffffffffffff" + "0000000000000007" + "05" + "00000000"), bytes);
    }

    @Test
    void roundTripPreservesHeaderAndEntriesInOrder() {
        SyncBatch batch = new SyncBatch(Long.MIN_VALUE, Long.MAX_VALUE, 255, List.of(
                Frame.of("c:1", MessageType.DELTA_SYNC, new byte[] {1, 2}),
                Frame.of("c:2", MessageType.STATE_SNAPSHOT, new byte[0]),
                Frame.of("tombstones:c:3", MessageType.TOMBSTONE, new byte[] {9}),
                new Frame("\u00fc:4", 0x42, new byte[] {4, 4, 4})));

        SyncBatch back = SyncBatch.decode(batch.encode());

        assertEquals(batch, back);
        assertEquals(255, back.ttl());
        assertEquals(4, back.entries().size());
    }

    @Test
    void toFrameUsesBatchKeyAndSyncBatchType() {
        Frame f = goldenBatch().toFrame();

        assertEquals("batch", f.docKey());
        assertEquals(0x07, f.typeCode());
        assertArrayEquals(HEX.parseHex(GOLDEN), f.payload());
    }

    @Test
    void everyTruncationIsAProtocolViolation() {
        byte[] full = HEX.parseHex(GOLDEN);
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThrows(ProtocolViolationException.class, () -> SyncBatch.decode(cut), "truncated to " + len + " bytes");
        }
    }

    @Test
    void trailingBytesAreAProtocolViolation() {
        byte[] longer = HEX.parseHex(GOLDEN + "00");

        assertThrows(ProtocolViolationException.class, () -> SyncBatch.decode(longer));
    }

    @Test
    void entryWithZeroLengthKeyIsAProtocolViolation() {
        byte[] bytes = HEX.parseHex("0000000000000001" + "0000000000000000" + "05" + "00000001" + "0000" + "00" + "00000000");

        assertThrows(ProtocolViolationException.class, () -> SyncBatch.decode(bytes));
    }

    @Test
    void hugeEntryCountWithoutEntriesIsAProtocolViolationNotAnAllocation() {
        byte[] bytes = HEX.parseHex("0000000000000001" + "0000000000000000" + "05" + "ffffffff");

        assertThrows(ProtocolViolationException.class, () -> SyncBatch.decode(bytes));
    }

    @Test
    void ttlOutsideAByteIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new SyncBatch(0, 0, 256, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new SyncBatch(0, 0, -1, List.of()));
    }
}
