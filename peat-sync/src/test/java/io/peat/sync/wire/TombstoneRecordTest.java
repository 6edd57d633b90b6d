package io.peat.sync.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ProtocolViolationException;
import io.peat.sync.wire.TombstoneRecord.Direction;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TombstoneRecordTest {
    private static final HexFormat HEX = HexFormat.of();

    // coll "c", id "d", deleted_at 2, lamport 3, by "p", reason "r", direction 1 (UpOnly)
    static final String GOLDEN = "0001" + "63" + "0001" + "64" + "0000000000000002" + "0000000000000003"
            + "0001" + "70" + "0001" + "72" + "01";

    static TombstoneRecord goldenRecord() {
        return new TombstoneRecord("c", "d", 2L, 3L, "p", Optional.of("r"), Direction.UP_ONLY);
    }

    @Test
    void encodesToSpecLayoutBytes() {
        assertArrayEquals(HEX.parseHex(GOLDEN), goldenRecord().encode());
    }

    @Test
    void decodesSpecLayoutBytes() {
        assertEquals(goldenRecord(), TombstoneRecord.decode(HEX.parseHex(GOLDEN)));
    }

    @Test
    void absentReasonIsEncodedAsZeroLength() {
        TombstoneRecord rec = new TombstoneRecord("c", "d", 2L, 3L, "p", Optional.empty(), Direction.SYSTEM_WIDE);

        byte[] expected = HEX.parseHex("000163" + "000164" + "0000000000000002" + "0000000000000003" + "000170" + "0000" + "03");
        assertArrayEquals(expected, rec.encode());
        assertEquals(Optional.empty(), TombstoneRecord.decode(expected).reason());
    }

    @ParameterizedTest
    @EnumSource(Direction.class)
    void roundTripPreservesEveryField(Direction direction) {
        TombstoneRecord rec = new TombstoneRecord("sensors", "\u00e9-42", Long.MAX_VALUE, -1L, "node-a", Optional.of("expired"),
                direction);

        assertEquals(rec, TombstoneRecord.decode(rec.encode()));
    }

    @Test
    void directionCodesMatchSpec() {
        // 0 Bidirectional, 1 UpOnly, 2 DownOnly, 3 SystemWide: the last byte of the record
        Direction[] bySpec = {Direction.BIDIRECTIONAL, Direction.UP_ONLY, Direction.DOWN_ONLY, Direction.SYSTEM_WIDE};
        for (int code = 0; code < bySpec.length; code++) {
            byte[] bytes = HEX.parseHex(GOLDEN);
            bytes[bytes.length - 1] = (byte) code;
            assertEquals(bySpec[code], TombstoneRecord.decode(bytes).direction());
        }
    }

    @Test
    void unknownDirectionIsAProtocolViolation() {
        byte[] bytes = HEX.parseHex(GOLDEN);
        bytes[bytes.length - 1] = 4;

        ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> TombstoneRecord.decode(bytes));
        assertTrue(e.getMessage().contains("4"), e.getMessage());
    }

    @Test
    void everyTruncationIsAProtocolViolation() {
        byte[] full = HEX.parseHex(GOLDEN);
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            assertThrows(ProtocolViolationException.class, () -> TombstoneRecord.decode(cut), "truncated to " + len + " bytes");
        }
    }

    @Test
    void trailingBytesAreAProtocolViolation() {
        assertThrows(ProtocolViolationException.class, () -> TombstoneRecord.decode(HEX.parseHex(GOLDEN + "ff")));
    }

    @Test
    void keysFollowTheReservedKeyScheme() {
        assertEquals("tombstones:c:d", goldenRecord().frameKey());
        assertEquals("c:d", goldenRecord().docKey());
    }
}
