package io.peat.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import io.peat.sync.DocKey;
import io.peat.sync.SyncBackend;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameCodec;
import io.peat.sync.wire.FrameDecoder;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.SyncBatch;
import io.peat.sync.wire.TombstoneBatch;
import io.peat.sync.wire.TombstoneRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dispatch pins (SPEC section 4): one per live arm of the dispatch table. A bare endpoint of the
 * transport under test opens a stream to a backend and writes hand-made frames on it; each frame
 * must reach its arm, have its effect, and the receive loop must go on to read the next frame
 * (every test ends with a follow-up snapshot that must also land).
 */
@Timeout(120)
public abstract class AbstractDispatchPins extends AbstractPinTest {
    private SyncBackend node;
    private ByteStream stream;
    private int followUps;

    @BeforeEach
    void openStreamToBackend() throws Exception {
        node = node("node");
        RawEndpoint peer = raw("peer");
        PeerConnection c = get(peer.transport().connect(address(node.transport()), node.peerId()));
        stream = get(c.openStream());
    }

    private void write(Frame... frames) throws Exception {
        for (Frame f : frames) {
            get(stream.write(FrameCodec.encode(f)));
        }
    }

    /** Writes a snapshot of a fresh document and waits for it: proof that the loop read on. */
    private void assertLoopGoesOn() throws Exception {
        DocKey next = DocKey.of("followup", "n" + (++followUps));
        write(Frame.of(next.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("after", "yes")));
        await("the follow-up frame after the pinned one", () -> text(node, next, "after").isPresent());
    }

    @Test
    @DisplayName("DeltaSync reaches the sync arm: its changes materialise, and the answer comes back on the same stream")
    void deltaSyncArm() throws Exception {
        DocKey key = DocKey.of("docs", "delta");
        write(Frame.of(key.toString(), MessageType.DELTA_SYNC, AutomergeMessages.deltaCarryingChanges("v", "delta-value")));
        await("the delta's changes on the backend", () -> text(node, key, "v").equals(Optional.of("delta-value")));
        assertEquals(1, node.dispatched(MessageType.DELTA_SYNC));

        // The accept side registered a channel for this inbound stream and answers on its send half.
        List<Frame> answer = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder("backend", FrameCodec.DEFAULT_MAX_PAYLOAD);
        long deadline = System.nanoTime() + TckTimeouts.await().toNanos();
        while (answer.stream().noneMatch(f -> f.typeCode() == MessageType.DELTA_SYNC.code() && f.docKey().equals(key.toString()))) {
            assertTrue(System.nanoTime() < deadline, "no DeltaSync answer for " + key + " on the stream; got " + answer);
            Optional<ByteBuffer> chunk = stream.read().toCompletableFuture().get(TckTimeouts.await().toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(chunk.isPresent(), "the backend finished the stream instead of answering");
            decoder.feed(chunk.get(), answer::add);
        }
        assertLoopGoesOn();
    }

    @Test
    @DisplayName("StateSnapshot reaches the snapshot arm: the document is loaded and merged")
    void stateSnapshotArm() throws Exception {
        DocKey key = DocKey.of("docs", "snap");
        write(Frame.of(key.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("v", "snap-value")));
        await("the snapshot's document on the backend", () -> text(node, key, "v").equals(Optional.of("snap-value")));
        assertEquals(1, node.dispatched(MessageType.STATE_SNAPSHOT));
        assertLoopGoesOn();
    }

    @Test
    @DisplayName("Tombstone reaches the tombstone arm: the document is deleted and a later snapshot cannot bring it back")
    void tombstoneArm() throws Exception {
        DocKey key = DocKey.of("docs", "gone");
        write(Frame.of(key.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("v", "x")));
        await("the document before deletion", () -> text(node, key, "v").isPresent());
        TombstoneRecord t = new TombstoneRecord("docs", "gone", System.currentTimeMillis(), 1, "peer", Optional.empty(),
                TombstoneRecord.Direction.BIDIRECTIONAL);
        write(Frame.of(t.frameKey(), MessageType.TOMBSTONE, t.encode()));
        await("the tombstone on the backend", () -> uncheckedGet(node.isDeleted(key)));
        assertEquals(1, node.dispatched(MessageType.TOMBSTONE));
        write(Frame.of(key.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("v", "back")));
        assertLoopGoesOn();
        assertFalse(text(node, key, "v").isPresent(), "a deleted document came back");
    }

    @Test
    @DisplayName("TombstoneBatch reaches the tombstone arm once per record")
    void tombstoneBatchArm() throws Exception {
        List<TombstoneRecord> records = List.of(
                new TombstoneRecord("docs", "b1", 1, 1, "peer", Optional.of("gc"), TombstoneRecord.Direction.UP_ONLY),
                new TombstoneRecord("docs", "b2", 2, 2, "peer", Optional.empty(), TombstoneRecord.Direction.SYSTEM_WIDE));
        write(Frame.of(TombstoneBatch.KEY, MessageType.TOMBSTONE_BATCH, TombstoneBatch.encode(records)));
        await("both tombstones", () -> uncheckedGet(node.isDeleted(DocKey.of("docs", "b1")))
                && uncheckedGet(node.isDeleted(DocKey.of("docs", "b2"))));
        assertEquals(1, node.dispatched(MessageType.TOMBSTONE_BATCH));
        assertLoopGoesOn();
    }

    @Test
    @DisplayName("SyncBatch reaches the batch arm: DeltaSync, StateSnapshot and Tombstone entries are applied")
    void syncBatchArm() throws Exception {
        DocKey d = DocKey.of("docs", "bd");
        DocKey s = DocKey.of("docs", "bs");
        TombstoneRecord t = new TombstoneRecord("docs", "bt", 1, 1, "peer", Optional.empty(), TombstoneRecord.Direction.BIDIRECTIONAL);
        SyncBatch batch = new SyncBatch(42, System.currentTimeMillis(), SyncBatch.DEFAULT_TTL, List.of(
                Frame.of(d.toString(), MessageType.DELTA_SYNC, AutomergeMessages.deltaCarryingChanges("v", "from-delta")),
                Frame.of(s.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("v", "from-snapshot")),
                Frame.of(t.frameKey(), MessageType.TOMBSTONE, t.encode())));
        write(batch.toFrame());
        await("every batch entry applied", () -> text(node, d, "v").equals(Optional.of("from-delta"))
                && text(node, s, "v").equals(Optional.of("from-snapshot")) && uncheckedGet(node.isDeleted(DocKey.of("docs", "bt"))));
        assertEquals(1, node.dispatched(MessageType.SYNC_BATCH));
        assertLoopGoesOn();
    }

    @Test
    @DisplayName("NegentropyInit and NegentropyResponse reach the negentropy arm")
    void negentropyArms() throws Exception {
        write(Frame.of("_negentropy", MessageType.NEGENTROPY_INIT, new byte[] {0x61}),
                Frame.of("_negentropy", MessageType.NEGENTROPY_RESPONSE, new byte[] {0x61}));
        await("both negentropy messages", () -> node.negentropyMessagesReceived() == 2);
        assertEquals(1, node.dispatched(MessageType.NEGENTROPY_INIT));
        assertEquals(1, node.dispatched(MessageType.NEGENTROPY_RESPONSE));
        assertLoopGoesOn();
    }

    @Test
    @DisplayName("unknown and reserved types are skipped by length and counted; the stream goes on")
    void unknownTypesAreSkipped() throws Exception {
        write(new Frame("docs:x", 0x42, new byte[] {1, 2, 3}), Frame.of("docs:x", MessageType.WINDOWED_HISTORY, new byte[] {9}));
        assertLoopGoesOn();
        assertEquals(2, node.metrics().unknownFrames());
        assertEquals(0, node.metrics().protocolErrors());
    }

    private static boolean uncheckedGet(java.util.concurrent.CompletionStage<Boolean> stage) {
        try {
            return get(stage);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
