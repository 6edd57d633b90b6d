package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peat.spi.ByteStream;
import io.peat.sync.SyncBackend;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameCodec;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.SyncBatch;
import io.peat.sync.wire.TombstoneBatch;
import io.peat.sync.wire.TombstoneRecord;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * S1 wire format (CONTRACT.md): the bytes of every message type equal the v2 layout, written out
 * by hand as hex below, and the bytes a backend puts on a real stream of the transport under test
 * are exactly those bytes, read raw from the other end.
 */
public interface WireFormatClauses extends TckSupport {

    /** Size of the opener frame: 2 + "batch" + 1 + 4 + 21. */
    int OPENER_SIZE = 33;

    /** @return the tombstone every golden tombstone frame carries */
    static TombstoneRecord goldenTombstone() {
        return new TombstoneRecord("docs", "1", 1_700_000_000_000L, 7, "n1", Optional.empty(), TombstoneRecord.Direction.SYSTEM_WIDE);
    }

    /** @return (name, frame, golden hex) for every message type */
    static Stream<Arguments> goldenFrames() {
        Frame delta = Frame.of("docs:1", MessageType.DELTA_SYNC, new byte[] {0x42, 0x43});
        TombstoneRecord t = goldenTombstone();
        return Stream.of(
                Arguments.of("DeltaSync", delta,
                        "0006 646f63733a31  00  00000002  4243"),
                Arguments.of("StateSnapshot", Frame.of("docs:1", MessageType.STATE_SNAPSHOT, Hex.bytes("856f4a83")),
                        "0006 646f63733a31  01  00000004  856f4a83"),
                Arguments.of("WindowedHistory (reserved)", Frame.of("docs:1", MessageType.WINDOWED_HISTORY, new byte[0]),
                        "0006 646f63733a31  02  00000000"),
                Arguments.of("0x03 (reserved)", Frame.of("docs:1", MessageType.RESERVED_03, new byte[0]),
                        "0006 646f63733a31  03  00000000"),
                Arguments.of("Tombstone", Frame.of(t.frameKey(), MessageType.TOMBSTONE, t.encode()),
                        "0011 746f6d6273746f6e65733a646f63733a31  04  00000020"
                                + "  0004 646f6373  0001 31  0000018bcfe56800  0000000000000007  0002 6e31  0000  03"),
                Arguments.of("TombstoneBatch", Frame.of(TombstoneBatch.KEY, MessageType.TOMBSTONE_BATCH, TombstoneBatch.encode(List.of(t))),
                        "0010 746f6d6273746f6e65733a6261746368  05  00000028  00000001  00000020"
                                + "  0004 646f6373  0001 31  0000018bcfe56800  0000000000000007  0002 6e31  0000  03"),
                Arguments.of("TombstoneAck (informational)", Frame.of("docs:1", MessageType.TOMBSTONE_ACK, new byte[0]),
                        "0006 646f63733a31  06  00000000"),
                Arguments.of("SyncBatch", new SyncBatch(1, 1_700_000_000_000L, 5, List.of(delta)).toFrame(),
                        "0005 6261746368  07  00000024  0000000000000001  0000018bcfe56800  05  00000001"
                                + "  0006 646f63733a31 00 00000002 4243"),
                Arguments.of("NegentropyInit", Frame.of("_negentropy", MessageType.NEGENTROPY_INIT, new byte[] {0x61}),
                        "000b 5f6e6567656e74726f7079  08  00000001  61"),
                Arguments.of("NegentropyResponse", Frame.of("_negentropy", MessageType.NEGENTROPY_RESPONSE, new byte[] {0x61}),
                        "000b 5f6e6567656e74726f7079  09  00000001  61"),
                Arguments.of("NegentropyRequest (reserved)", Frame.of("_negentropy", MessageType.NEGENTROPY_REQUEST, new byte[0]),
                        "000b 5f6e6567656e74726f7079  0a  00000000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.peat.tck.WireFormatClauses#goldenFrames")
    @DisplayName("S1.1 every message type encodes to its v2 golden bytes")
    default void required_S1_1_everyMessageTypeEncodesToGoldenBytes(String name, Frame frame, String golden) {
        assertEquals(Hex.of(Hex.bytes(golden)), Hex.of(FrameCodec.encodeToArray(frame)), name);
        assertEquals(7 + frame.docKey().length() + frame.payload().length, frame.encodedSize(), "overhead is 7 + key bytes");
    }

    @Test
    @DisplayName("S1.2 The bytes a backend writes on the persistent stream of the transport, read raw at the other "
            + "end, are the opener (an empty SyncBatch) and then the golden frames back to back")
    default void required_S1_2_persistentStreamCarriesGoldenBytes() throws Exception {
        RawEndpoint observer = raw("observer");
        SyncBackend sender = node("sender");
        var connected = sender.connect(address(observer.transport()), observer.transport().localPeerId());
        // The dialer opens its persistent stream at once; an adopting peer answers its opener (SPEC 3.11), and
        // connect() completes when that answer arrives.
        ByteStream stream = observer.nextStream(TckTimeouts.await());
        SyncBatch answer = new SyncBatch(1, System.currentTimeMillis(), SyncBatch.DEFAULT_TTL, List.of());
        TckWaits.get(stream.write(java.nio.ByteBuffer.wrap(FrameCodec.encodeToArray(answer.toFrame()))));
        TckWaits.get(connected);

        List<Arguments> all = goldenFrames().toList();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (Arguments a : all) {
            TckWaits.get(sender.send(observer.transport().localPeerId(), (Frame) a.get()[1]));
            expected.write(Hex.bytes((String) a.get()[2]));
        }

        byte[] wire = RawEndpoint.readAtLeast(stream, OPENER_SIZE + expected.size(), TckTimeouts.await());

        // The stream opens with an empty SyncBatch: key "batch", type 0x07, 21-byte payload, ttl 5, no entries.
        byte[] opener = Arrays.copyOfRange(wire, 0, OPENER_SIZE);
        assertEquals("0005626174636807" + "00000015", Hex.of(Arrays.copyOfRange(opener, 0, 12)), "opener header");
        assertEquals("05" + "00000000", Hex.of(Arrays.copyOfRange(opener, 28, 33)), "opener ttl and entry count");
        assertArrayEquals(expected.toByteArray(), Arrays.copyOfRange(wire, OPENER_SIZE, wire.length),
                "frames on the wire after the opener");
    }
}
