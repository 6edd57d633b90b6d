package io.peat.sync.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ProtocolViolationException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class FrameDecoderTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int ONE_MIB = 1024 * 1024;
    private static final String PEER = "peer-42";

    private static final List<Frame> SAMPLE = List.of(
            Frame.of("c:d", MessageType.DELTA_SYNC, new byte[] {1, 2, 3}),
            Frame.of("tombstones:batch", MessageType.TOMBSTONE_BATCH, new byte[] {0, 0, 0, 0}),
            Frame.of("\u00e9t\u00e9:x", MessageType.STATE_SNAPSHOT, new byte[300]),
            new Frame("k", 0x42, new byte[] {7}));

    private static byte[] concat(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.writeBytes(FrameCodec.encodeToArray(f));
        }
        return out.toByteArray();
    }

    private static void feedByteByByte(FrameDecoder d, byte[] bytes, List<Frame> sink) {
        for (byte b : bytes) {
            d.feed(ByteBuffer.wrap(new byte[] {b}), sink::add);
        }
    }

    @Test
    void byteAtATimeAndAllAtOnceYieldIdenticalFrames() {
        byte[] wire = concat(SAMPLE);

        List<Frame> whole = new ArrayList<>();
        new FrameDecoder(PEER, ONE_MIB).feed(ByteBuffer.wrap(wire), whole::add);
        List<Frame> single = new ArrayList<>();
        feedByteByByte(new FrameDecoder(PEER, ONE_MIB), wire, single);

        assertEquals(SAMPLE, whole);
        assertEquals(whole, single);
    }

    @Test
    void oddChunkBoundariesYieldTheSameFrames() {
        byte[] wire = concat(SAMPLE);
        FrameDecoder d = new FrameDecoder(PEER, ONE_MIB);
        List<Frame> got = new ArrayList<>();
        int pos = 0;
        int step = 1;
        while (pos < wire.length) {
            int n = Math.min(step, wire.length - pos);
            d.feed(ByteBuffer.wrap(wire, pos, n), got::add);
            pos += n;
            step = step % 13 + 3;
        }
        assertEquals(SAMPLE, got);
    }

    @Test
    void backToBackFramesInOneChunkAreAllEmittedInOrder() {
        // Two hand-laid frames: ("a", 0x00, [01]) and ("b", 0x01, [02 03])
        byte[] wire = HEX.parseHex("000161" + "00" + "00000001" + "01" + "000162" + "01" + "00000002" + "0203");
        List<Frame> got = new ArrayList<>();
        FrameDecoder d = new FrameDecoder(PEER, ONE_MIB);
        d.feed(ByteBuffer.wrap(wire), got::add);

        assertEquals(List.of(new Frame("a", 0, new byte[] {1}), new Frame("b", 1, new byte[] {2, 3})), got);
        assertFalse(d.isMidFrame());
    }

    @Test
    void zeroLengthKeyIsAProtocolViolationNamingThePeer() {
        FrameDecoder d = new FrameDecoder(PEER, ONE_MIB);
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> d.feed(ByteBuffer.wrap(HEX.parseHex("0000" + "00" + "00000000")), f -> { }));

        assertTrue(e.getMessage().contains(PEER), e.getMessage());
    }

    @Test
    @Timeout(10)
    void payloadOverCapThrowsOnTheHeaderAloneWithoutAllocating() {
        // key "k", type 0x00, payload_len 0x7fffffff (2^31-1); no payload bytes follow.
        byte[] header = HEX.parseHex("0001" + "6b" + "00" + "7fffffff");
        FrameDecoder d = new FrameDecoder(PEER, ONE_MIB);
        List<Frame> got = new ArrayList<>();

        // Every header byte but the last is accepted quietly...
        for (int i = 0; i < header.length - 1; i++) {
            d.feed(ByteBuffer.wrap(header, i, 1), got::add);
        }
        // ...and the last one completes the header and must be refused (not an OutOfMemoryError).
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> d.feed(ByteBuffer.wrap(header, header.length - 1, 1), got::add));

        String msg = e.getMessage();
        assertTrue(msg.contains(PEER), msg);
        assertTrue(msg.contains(Long.toString(Integer.MAX_VALUE)), msg);
        assertTrue(msg.contains(Integer.toString(ONE_MIB)), msg);
        assertTrue(got.isEmpty());
    }

    @Test
    @Timeout(10)
    void payloadLengthWithHighBitSetIsTreatedAsUnsignedAndRefused() {
        // payload_len 0xffffffff must not wrap to a negative int (which would pass a naive check)
        byte[] header = HEX.parseHex("0001" + "6b" + "00" + "ffffffff");
        FrameDecoder d = new FrameDecoder(PEER, ONE_MIB);

        ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> d.feed(ByteBuffer.wrap(header), f -> { }));
        assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
    }

    @Test
    void payloadExactlyAtCapIsAccepted() {
        int cap = 16;
        Frame atCap = Frame.of("k", MessageType.STATE_SNAPSHOT, new byte[cap]);
        List<Frame> got = new ArrayList<>();

        new FrameDecoder(PEER, cap).feed(FrameCodec.encode(atCap), got::add);

        assertEquals(List.of(atCap), got);
    }

    @Test
    void payloadOneOverCapIsRefused() {
        int cap = 16;
        Frame over = Frame.of("k", MessageType.STATE_SNAPSHOT, new byte[cap + 1]);

        assertThrows(ProtocolViolationException.class, () -> new FrameDecoder(PEER, cap).feed(FrameCodec.encode(over), f -> { }));
    }

    @Test
    void invalidUtf8KeyIsAProtocolViolation() {
        // key is the single byte 0xff, which is never valid UTF-8
        byte[] wire = HEX.parseHex("0001" + "ff" + "00" + "00000001" + "01");
        FrameDecoder d = new FrameDecoder(PEER, ONE_MIB);
        List<Frame> got = new ArrayList<>();

        ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> d.feed(ByteBuffer.wrap(wire), got::add));
        assertTrue(e.getMessage().contains(PEER), e.getMessage());
        assertTrue(got.isEmpty());
    }

    @Test
    void truncatedMultiByteUtf8KeyIsAProtocolViolation() {
        // 0xc3 starts a two-byte sequence that never completes
        byte[] wire = HEX.parseHex("0002" + "61c3" + "00" + "00000000");

        assertThrows(ProtocolViolationException.class, () -> new FrameDecoder(PEER, ONE_MIB).feed(ByteBuffer.wrap(wire), f -> { }));
    }

    @Test
    void isMidFrameTracksWhetherAPartialFrameIsHeld() {
        byte[] wire = FrameCodec.encodeToArray(Frame.of("c:d", MessageType.DELTA_SYNC, new byte[] {1, 2, 3}));
        FrameDecoder d = new FrameDecoder(PEER, ONE_MIB);
        List<Frame> got = new ArrayList<>();

        assertFalse(d.isMidFrame(), "fresh decoder");
        for (int i = 0; i < wire.length - 1; i++) {
            d.feed(ByteBuffer.wrap(wire, i, 1), got::add);
            assertTrue(d.isMidFrame(), "after " + (i + 1) + " of " + wire.length + " bytes");
        }
        d.feed(ByteBuffer.wrap(wire, wire.length - 1, 1), got::add);
        assertFalse(d.isMidFrame(), "at a frame boundary");
        assertEquals(1, got.size());
    }

    @Test
    void zeroLengthPayloadFrameIsEmitted() {
        byte[] wire = HEX.parseHex("0001" + "6b" + "06" + "00000000");
        FrameDecoder d = new FrameDecoder(PEER, ONE_MIB);
        List<Frame> got = new ArrayList<>();

        d.feed(ByteBuffer.wrap(wire), got::add);

        assertEquals(1, got.size());
        assertEquals("k", got.get(0).docKey());
        assertEquals(0x06, got.get(0).typeCode());
        assertArrayEquals(new byte[0], got.get(0).payload());
        assertFalse(d.isMidFrame());
    }

    @Test
    void zeroLengthPayloadFrameFollowedByAnotherFrameInTheSameChunk() {
        byte[] wire = HEX.parseHex("00016b" + "06" + "00000000" + "00016b" + "00" + "00000001" + "2a");
        List<Frame> got = new ArrayList<>();

        assertDoesNotThrow(() -> new FrameDecoder(PEER, ONE_MIB).feed(ByteBuffer.wrap(wire), got::add));

        assertEquals(List.of(new Frame("k", 6, new byte[0]), new Frame("k", 0, new byte[] {42})), got);
    }

    @Test
    void feedConsumesTheWholeChunk() {
        ByteBuffer chunk = ByteBuffer.wrap(HEX.parseHex("00016b00000000"));  // a header missing its last length byte
        FrameDecoder d = new FrameDecoder(PEER, ONE_MIB);

        d.feed(chunk, f -> { });

        assertEquals(0, chunk.remaining());
        assertTrue(d.isMidFrame());
    }

    // ---- issue 10, fault 3: memory follows the bytes that arrived, not the length claimed ----

    private static byte[] header(String key, int type, long payloadLen) {
        byte[] k = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(7 + k.length);
        b.putShort((short) k.length).put(k).put((byte) type).putInt((int) payloadLen);
        return b.array();
    }

    @Test
    void aHeaderClaimingTheCapAllocatesOnlyAFirstSmallBuffer() {
        FrameDecoder d = new FrameDecoder(PEER, 16 * ONE_MIB);
        List<Frame> out = new ArrayList<>();
        d.feed(ByteBuffer.wrap(header("x:y", 0, 16 * ONE_MIB)), out::add);
        d.feed(ByteBuffer.wrap(new byte[10]), out::add);

        assertTrue(d.isMidFrame());
        assertTrue(d.bufferedPayloadBytes() <= FrameDecoder.FIRST_BUFFER,
                "10 bytes of a claimed 16 MiB payload hold " + d.bufferedPayloadBytes() + " bytes");
        assertTrue(out.isEmpty());
    }

    @Test
    void theBufferGrowsAtMostToTwiceWhatArrivedAndEndsExactlyAtTheFramesLength() {
        int len = 3 * ONE_MIB + 17;
        byte[] payload = new byte[len];
        new java.util.Random(7).nextBytes(payload);
        byte[] wire = FrameCodec.encodeToArray(Frame.of("c:big", MessageType.STATE_SNAPSHOT, payload));
        FrameDecoder d = new FrameDecoder(PEER, 16 * ONE_MIB);
        List<Frame> out = new ArrayList<>();
        int headerLen = wire.length - len;
        d.feed(ByteBuffer.wrap(wire, 0, headerLen), out::add);
        int arrived = 0;
        for (int off = headerLen; off < wire.length; off += 65_536) {
            int n = Math.min(65_536, wire.length - off);
            d.feed(ByteBuffer.wrap(wire, off, n), out::add);
            arrived += n;
            if (out.isEmpty()) {
                assertTrue(d.bufferedPayloadBytes() <= Math.max(FrameDecoder.FIRST_BUFFER, 2L * arrived),
                        arrived + " bytes arrived, " + d.bufferedPayloadBytes() + " held");
            }
        }
        assertEquals(1, out.size());
        assertEquals(len, out.get(0).payload().length);
        assertArrayEquals(payload, out.get(0).payload());
        assertEquals(0, d.bufferedPayloadBytes());
    }
}
