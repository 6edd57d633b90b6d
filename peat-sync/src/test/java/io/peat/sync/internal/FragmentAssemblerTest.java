package io.peat.sync.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.PeerId;
import io.peat.spi.ProtocolViolationException;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.SyncFragment;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Fragments join back into their frame, in order only, within the limit, from a claimed total that allocates nothing. */
class FragmentAssemblerTest {
    private static final PeerId PEER = PeerId.of("frag-peer");

    private static Frame whole(int n) {
        byte[] p = new byte[n];
        new Random(n).nextBytes(p);
        return Frame.of("docs:big", MessageType.DELTA_SYNC, p);
    }

    @Test
    void fragmentsInOrderJoinIntoTheFrameTheyWereCutFrom() {
        Frame w = whole(10_000);
        List<Frame> parts = SyncFragment.split(w, 1024);
        assertEquals(10, parts.size());
        parts.forEach(p -> assertTrue(p.payload().length <= 1024));
        FragmentAssembler a = new FragmentAssembler(1 << 20);
        Optional<Frame> out = Optional.empty();
        for (Frame p : parts) {
            assertTrue(out.isEmpty(), "joined before the last fragment");
            out = a.accept(PEER, p.docKey(), SyncFragment.decode(p.payload()));
        }
        Frame joined = out.orElseThrow();
        assertEquals(w.docKey(), joined.docKey());
        assertEquals(w.typeCode(), joined.typeCode());
        assertArrayEquals(w.payload(), joined.payload());
        assertEquals(0, a.open());
    }

    @Test
    void aFragmentOutOfOrderIsAProtocolErrorAndDropsTheUnfinishedFrame() {
        List<Frame> parts = SyncFragment.split(whole(5_000), 1024);
        FragmentAssembler a = new FragmentAssembler(1 << 20);
        a.accept(PEER, parts.get(0).docKey(), SyncFragment.decode(parts.get(0).payload()));
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> a.accept(PEER, parts.get(2).docKey(), SyncFragment.decode(parts.get(2).payload())));
        assertTrue(e.getMessage().contains("does not continue"), e.getMessage());
        assertEquals(0, a.open());
    }

    @Test
    void aTotalOverTheLimitIsRefusedBeforeAnythingIsHeld() {
        ByteBuffer claim = ByteBuffer.allocate(SyncFragment.HEADER_BYTES + 1).put((byte) 0).putInt(Integer.MAX_VALUE).putInt(0).put((byte) 1);
        FragmentAssembler a = new FragmentAssembler(1 << 20);
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> a.accept(PEER, "docs:x", SyncFragment.decode(claim.array())));
        assertTrue(e.getMessage().contains("over this node's limit of 1048576"), e.getMessage());
        assertEquals(0, a.open());
    }

    @Test
    void onlyDeltaSyncAndSnapshotsAreFragmented() {
        Frame tomb = Frame.of("tombstones:batch", MessageType.TOMBSTONE_BATCH, new byte[3000]);
        Frame first = SyncFragment.split(tomb, 1024).get(0);
        FragmentAssembler a = new FragmentAssembler(1 << 20);
        assertThrows(ProtocolViolationException.class, () -> a.accept(PEER, first.docKey(), SyncFragment.decode(first.payload())));
    }

    @Test
    void aFragmentClaimingBytesPastItsTotalDoesNotDecode() {
        ByteBuffer b = ByteBuffer.allocate(SyncFragment.HEADER_BYTES + 10).put((byte) 0).putInt(5).putInt(0).put(new byte[10]);
        assertThrows(ProtocolViolationException.class, () -> SyncFragment.decode(b.array()));
        assertThrows(ProtocolViolationException.class, () -> SyncFragment.decode(new byte[SyncFragment.HEADER_BYTES]));
    }
}
