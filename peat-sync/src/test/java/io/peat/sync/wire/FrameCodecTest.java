package io.peat.sync.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class FrameCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void deltaSyncFrameEncodesToSpecLayoutBytes() {
        Frame frame = Frame.of("c:d", MessageType.DELTA_SYNC, new byte[] {1, 2, 3});

        // key_len=0x0003, "c:d", type 0x00, payload_len=0x00000003, payload 01 02 03
        byte[] expected = HEX.parseHex("0003" + "633a64" + "00" + "00000003" + "010203");

        assertArrayEquals(expected, FrameCodec.encodeToArray(frame));
    }

    @Test
    void encodeReturnsBufferPositionedAtZeroWithTheFrameBytes() {
        Frame frame = Frame.of("c:d", MessageType.STATE_SNAPSHOT, new byte[] {(byte) 0xff});
        ByteBuffer buf = FrameCodec.encode(frame);

        assertEquals(0, buf.position());
        byte[] bytes = new byte[buf.remaining()];
        buf.get(bytes);
        assertArrayEquals(HEX.parseHex("0003" + "633a64" + "01" + "00000001" + "ff"), bytes);
    }

    @Test
    void payloadLengthIsBigEndianU32() {
        Frame frame = Frame.of("k", MessageType.STATE_SNAPSHOT, new byte[0x0102]);
        byte[] bytes = FrameCodec.encodeToArray(frame);

        // 00 01 'k' 01 | 00 00 01 02
        assertArrayEquals(HEX.parseHex("00016b01" + "00000102"), java.util.Arrays.copyOf(bytes, 8));
        assertEquals(8 + 0x0102, bytes.length);
    }

    @Test
    void encodedSizeIsSevenPlusKeyBytesPlusPayload() {
        Frame frame = Frame.of("c:d", MessageType.DELTA_SYNC, new byte[10]);

        assertEquals(7 + 3 + 10, frame.encodedSize());
        assertEquals(frame.encodedSize(), FrameCodec.encodeToArray(frame).length);
    }

    @Test
    void multiByteUtf8KeyLengthIsCountedInBytesNotChars() {
        // "é:ü" is 3 chars but 5 UTF-8 bytes: c3 a9 3a c3 bc
        Frame frame = Frame.of("\u00e9:\u00fc", MessageType.DELTA_SYNC, new byte[] {9});

        assertEquals(7 + 5 + 1, frame.encodedSize());
        assertArrayEquals(HEX.parseHex("0005" + "c3a93ac3bc" + "00" + "00000001" + "09"), FrameCodec.encodeToArray(frame));
    }

    @Test
    void emptyPayloadEncodesHeaderOnly() {
        Frame frame = Frame.of("k", MessageType.TOMBSTONE_ACK, new byte[0]);

        assertArrayEquals(HEX.parseHex("0001" + "6b" + "06" + "00000000"), FrameCodec.encodeToArray(frame));
        assertEquals(8, frame.encodedSize());
    }
}
