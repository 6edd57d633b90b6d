package io.peat.tck;

import static io.peat.tck.DocumentAccess.text;
import static io.peat.tck.TckWaits.await;
import static io.peat.tck.TckWaits.get;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * S2 dispatch (CONTRACT.md): one clause per live arm of the dispatch table. A bare endpoint of
 * the transport under test opens a stream to a backend and writes hand-made frames on it; each
 * frame must reach its arm and have its effect, and the receive loop must read on (every clause
 * ends with a follow-up snapshot that must also land).
 */
public interface DispatchClauses extends TckSupport {

    /** A backend and a raw stream into it. */
    final class Target {
        final SyncBackend node;
        final ByteStream stream;
        private final AtomicInteger followUps = new AtomicInteger();

        Target(SyncBackend node, ByteStream stream) {
            this.node = node;
            this.stream = stream;
        }

        void write(Frame... frames) throws Exception {
            for (Frame f : frames) {
                get(stream.write(FrameCodec.encode(f)));
            }
        }

        /** Writes a snapshot of a fresh document and waits for it: proof that the loop read on. */
        void assertLoopGoesOn() throws Exception {
            DocKey next = DocKey.of("followup", "n" + followUps.incrementAndGet());
            write(Frame.of(next.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("after", "yes")));
            await("the follow-up frame after the clause's frame", () -> text(node, next, "after").isPresent());
        }
    }

    /** @return a listening backend and a stream a bare endpoint opened to it */
    private Target dispatchTarget() throws Exception {
        SyncBackend node = node("node");
        RawEndpoint peer = raw("peer");
        PeerConnection c = get(peer.transport().connect(address(node.transport()), node.peerId()));
        return new Target(node, get(c.openStream()));
    }

    private static boolean deleted(SyncBackend node, DocKey key) {
        try {
            return get((CompletionStage<Boolean>) node.isDeleted(key));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("S2.1 DeltaSync reaches the sync arm: its changes materialise, and the answer comes back on the same stream")
    default void required_S2_1_deltaSyncReachesTheSyncArm() throws Exception {
        Target t = dispatchTarget();
        DocKey key = DocKey.of("docs", "delta");
        t.write(Frame.of(key.toString(), MessageType.DELTA_SYNC, AutomergeMessages.deltaCarryingChanges("v", "delta-value")));
        await("the delta's changes on the backend", () -> text(t.node, key, "v").equals(Optional.of("delta-value")));
        assertEquals(1, t.node.dispatched(MessageType.DELTA_SYNC));

        // The accept side registered a channel for this inbound stream and answers on its send half.
        List<Frame> answer = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder("backend", FrameCodec.DEFAULT_MAX_PAYLOAD);
        long deadline = System.nanoTime() + TckTimeouts.await().toNanos();
        while (answer.stream().noneMatch(f -> f.typeCode() == MessageType.DELTA_SYNC.code() && f.docKey().equals(key.toString()))) {
            assertTrue(System.nanoTime() < deadline, "no DeltaSync answer for " + key + " on the stream; got " + answer);
            Optional<ByteBuffer> chunk = t.stream.read().toCompletableFuture().get(TckTimeouts.await().toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(chunk.isPresent(), "the backend finished the stream instead of answering");
            decoder.feed(chunk.get(), answer::add);
        }
        t.assertLoopGoesOn();
    }

    @Test
    @DisplayName("S2.2 StateSnapshot reaches the snapshot arm: the document is loaded and merged")
    default void required_S2_2_stateSnapshotReachesTheSnapshotArm() throws Exception {
        Target t = dispatchTarget();
        DocKey key = DocKey.of("docs", "snap");
        t.write(Frame.of(key.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("v", "snap-value")));
        await("the snapshot's document on the backend", () -> text(t.node, key, "v").equals(Optional.of("snap-value")));
        assertEquals(1, t.node.dispatched(MessageType.STATE_SNAPSHOT));
        t.assertLoopGoesOn();
    }

    @Test
    @DisplayName("S2.3 Tombstone reaches the tombstone arm: the document is deleted and cannot come back")
    default void required_S2_3_tombstoneReachesTheTombstoneArm() throws Exception {
        Target t = dispatchTarget();
        DocKey key = DocKey.of("docs", "gone");
        t.write(Frame.of(key.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("v", "x")));
        await("the document before deletion", () -> text(t.node, key, "v").isPresent());
        TombstoneRecord rec = new TombstoneRecord("docs", "gone", System.currentTimeMillis(), 1, "peer", Optional.empty(),
                TombstoneRecord.Direction.BIDIRECTIONAL);
        t.write(Frame.of(rec.frameKey(), MessageType.TOMBSTONE, rec.encode()));
        await("the tombstone on the backend", () -> deleted(t.node, key));
        assertEquals(1, t.node.dispatched(MessageType.TOMBSTONE));
        t.write(Frame.of(key.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("v", "back")));
        t.assertLoopGoesOn();
        assertFalse(text(t.node, key, "v").isPresent(), "a deleted document came back");
    }

    @Test
    @DisplayName("S2.4 TombstoneBatch reaches the tombstone arm once per record")
    default void required_S2_4_tombstoneBatchReachesTheTombstoneArmPerRecord() throws Exception {
        Target t = dispatchTarget();
        List<TombstoneRecord> records = List.of(
                new TombstoneRecord("docs", "b1", 1, 1, "peer", Optional.of("gc"), TombstoneRecord.Direction.UP_ONLY),
                new TombstoneRecord("docs", "b2", 2, 2, "peer", Optional.empty(), TombstoneRecord.Direction.SYSTEM_WIDE));
        t.write(Frame.of(TombstoneBatch.KEY, MessageType.TOMBSTONE_BATCH, TombstoneBatch.encode(records)));
        await("both tombstones", () -> deleted(t.node, DocKey.of("docs", "b1")) && deleted(t.node, DocKey.of("docs", "b2")));
        assertEquals(1, t.node.dispatched(MessageType.TOMBSTONE_BATCH));
        t.assertLoopGoesOn();
    }

    @Test
    @DisplayName("S2.5 SyncBatch reaches the batch arm: DeltaSync, StateSnapshot and Tombstone entries are applied")
    default void required_S2_5_syncBatchReachesTheBatchArm() throws Exception {
        Target t = dispatchTarget();
        DocKey d = DocKey.of("docs", "bd");
        DocKey s = DocKey.of("docs", "bs");
        TombstoneRecord rec = new TombstoneRecord("docs", "bt", 1, 1, "peer", Optional.empty(), TombstoneRecord.Direction.BIDIRECTIONAL);
        SyncBatch batch = new SyncBatch(42, System.currentTimeMillis(), SyncBatch.DEFAULT_TTL, List.of(
                Frame.of(d.toString(), MessageType.DELTA_SYNC, AutomergeMessages.deltaCarryingChanges("v", "from-delta")),
                Frame.of(s.toString(), MessageType.STATE_SNAPSHOT, AutomergeMessages.snapshot("v", "from-snapshot")),
                Frame.of(rec.frameKey(), MessageType.TOMBSTONE, rec.encode())));
        t.write(batch.toFrame());
        await("every batch entry applied", () -> text(t.node, d, "v").equals(Optional.of("from-delta"))
                && text(t.node, s, "v").equals(Optional.of("from-snapshot")) && deleted(t.node, DocKey.of("docs", "bt")));
        assertEquals(1, t.node.dispatched(MessageType.SYNC_BATCH));
        t.assertLoopGoesOn();
    }

    @Test
    @DisplayName("S2.6 NegentropyInit and NegentropyResponse reach the negentropy arm")
    default void required_S2_6_negentropyMessagesReachTheNegentropyArm() throws Exception {
        Target t = dispatchTarget();
        t.write(Frame.of("_negentropy", MessageType.NEGENTROPY_INIT, new byte[] {0x61}),
                Frame.of("_negentropy", MessageType.NEGENTROPY_RESPONSE, new byte[] {0x61}));
        await("both negentropy messages", () -> t.node.negentropyMessagesReceived() == 2);
        assertEquals(1, t.node.dispatched(MessageType.NEGENTROPY_INIT));
        assertEquals(1, t.node.dispatched(MessageType.NEGENTROPY_RESPONSE));
        t.assertLoopGoesOn();
    }

    @Test
    @DisplayName("S2.7 unknown and reserved types are skipped by length and counted; the stream goes on")
    default void required_S2_7_unknownTypesAreSkipped() throws Exception {
        Target t = dispatchTarget();
        t.write(new Frame("docs:x", 0x42, new byte[] {1, 2, 3}), Frame.of("docs:x", MessageType.WINDOWED_HISTORY, new byte[] {9}));
        t.assertLoopGoesOn();
        assertEquals(2, t.node.metrics().unknownFrames());
        assertEquals(0, t.node.metrics().protocolErrors());
    }
}
