package io.peat.sync.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.AdditionalMatchers.aryEq;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import io.peat.spi.PeerId;
import io.peat.sync.internal.channel.PeerCounters;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import io.peat.sync.wire.SyncBatch;
import io.peat.sync.wire.TombstoneBatch;
import io.peat.sync.wire.TombstoneRecord;
import io.peat.sync.wire.TombstoneRecord.Direction;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

class FrameDispatcherTest {
    private static final PeerId FROM = PeerId.of("peer-a");
    private static final byte[] NEG_INIT = {0x61, 0x00, 0x00, 0x01};
    private static final byte[] NEG_RESP = {0x61};

    private FrameDispatcher.Handler handler;
    private final Map<PeerId, PeerCounters> counters = new ConcurrentHashMap<>();
    private FrameDispatcher dispatcher;

    @BeforeEach
    void setUp() {
        handler = mock(FrameDispatcher.Handler.class);
        dispatcher = new FrameDispatcher(handler, p -> counters.computeIfAbsent(p, x -> new PeerCounters()));
    }

    private static TombstoneRecord tombstone(String id) {
        return new TombstoneRecord("coll", id, 1000L, 7L, "peer-a", Optional.empty(), Direction.BIDIRECTIONAL);
    }

    private long unknownFrames() {
        PeerCounters c = counters.get(FROM);
        return c == null ? 0 : c.unknownFrames.get();
    }

    // ---- the seven live arms ----

    @Test
    void deltaSyncReachesOnDeltaSyncWithKeyAndPayload() {
        dispatcher.dispatch(FROM, Frame.of("c:d", MessageType.DELTA_SYNC, new byte[] {1, 2, 3}));

        verify(handler).onDeltaSync(eq(FROM), eq("c:d"), aryEq(new byte[] {1, 2, 3}));
        verifyNoMoreInteractions(handler);
    }

    @Test
    void stateSnapshotReachesOnStateSnapshotWithKeyAndPayload() {
        dispatcher.dispatch(FROM, Frame.of("c:d", MessageType.STATE_SNAPSHOT, new byte[] {9, 8}));

        verify(handler).onStateSnapshot(eq(FROM), eq("c:d"), aryEq(new byte[] {9, 8}));
        verifyNoMoreInteractions(handler);
    }

    @Test
    void tombstoneReachesOnTombstoneWithTheDecodedRecord() {
        TombstoneRecord rec = tombstone("d1");

        dispatcher.dispatch(FROM, Frame.of(rec.frameKey(), MessageType.TOMBSTONE, rec.encode()));

        verify(handler).onTombstone(FROM, rec);
        verifyNoMoreInteractions(handler);
    }

    @Test
    void tombstoneBatchCallsOnTombstonePerRecordInOrder() {
        List<TombstoneRecord> recs = List.of(tombstone("d1"), tombstone("d2"), tombstone("d3"));

        dispatcher.dispatch(FROM, Frame.of(TombstoneBatch.KEY, MessageType.TOMBSTONE_BATCH, TombstoneBatch.encode(recs)));

        InOrder order = inOrder(handler);
        order.verify(handler).onTombstone(FROM, recs.get(0));
        order.verify(handler).onTombstone(FROM, recs.get(1));
        order.verify(handler).onTombstone(FROM, recs.get(2));
        verifyNoMoreInteractions(handler);
    }

    @Test
    void syncBatchAppliesDeltaSnapshotAndTombstoneEntriesInOrder() {
        TombstoneRecord rec = tombstone("d3");
        SyncBatch batch = new SyncBatch(42L, 0L, 5, List.of(
                Frame.of("c:d1", MessageType.DELTA_SYNC, new byte[] {1}),
                Frame.of("c:d2", MessageType.STATE_SNAPSHOT, new byte[] {2}),
                Frame.of(rec.frameKey(), MessageType.TOMBSTONE, rec.encode()),
                Frame.of("c:d4", MessageType.DELTA_SYNC, new byte[] {4})));

        dispatcher.dispatch(FROM, batch.toFrame());

        InOrder order = inOrder(handler);
        order.verify(handler).onDeltaSync(eq(FROM), eq("c:d1"), aryEq(new byte[] {1}));
        order.verify(handler).onStateSnapshot(eq(FROM), eq("c:d2"), aryEq(new byte[] {2}));
        order.verify(handler).onTombstone(FROM, rec);
        order.verify(handler).onDeltaSync(eq(FROM), eq("c:d4"), aryEq(new byte[] {4}));
        verifyNoMoreInteractions(handler);
        assertEquals(0, dispatcher.batchEntryErrors(FROM));
    }

    @Test
    void emptySyncBatchIsAcceptedAndCallsNothing() {
        dispatcher.dispatch(FROM, new SyncBatch(1L, 2L, 5, List.of()).toFrame());

        verifyNoInteractions(handler);
        assertEquals(1, dispatcher.dispatchedCount(MessageType.SYNC_BATCH));
    }

    @Test
    void negentropyInitReachesOnNegentropyInit() {
        dispatcher.dispatch(FROM, Frame.of("_negentropy", MessageType.NEGENTROPY_INIT, NEG_INIT));

        verify(handler).onNegentropyInit(eq(FROM), aryEq(NEG_INIT));
        verifyNoMoreInteractions(handler);
    }

    @Test
    void negentropyResponseReachesOnNegentropyResponse() {
        dispatcher.dispatch(FROM, Frame.of("_negentropy", MessageType.NEGENTROPY_RESPONSE, NEG_RESP));

        verify(handler).onNegentropyResponse(eq(FROM), aryEq(NEG_RESP));
        verifyNoMoreInteractions(handler);
    }

    // ---- errors inside a batch ----

    @Test
    void batchEntryWhoseHandlerThrowsDoesNotStopTheRestOfTheBatch() {
        doThrow(new IllegalStateException("cannot apply")).when(handler).onDeltaSync(eq(FROM), eq("c:bad"), any());
        SyncBatch batch = new SyncBatch(1L, 0L, 5, List.of(
                Frame.of("c:one", MessageType.DELTA_SYNC, new byte[] {1}),
                Frame.of("c:bad", MessageType.DELTA_SYNC, new byte[] {2}),
                Frame.of("c:three", MessageType.STATE_SNAPSHOT, new byte[] {3})));

        assertDoesNotThrow(() -> dispatcher.dispatch(FROM, batch.toFrame()));

        verify(handler).onDeltaSync(eq(FROM), eq("c:one"), aryEq(new byte[] {1}));
        verify(handler).onDeltaSync(eq(FROM), eq("c:bad"), aryEq(new byte[] {2}));
        verify(handler).onStateSnapshot(eq(FROM), eq("c:three"), aryEq(new byte[] {3}));
        assertEquals(1, dispatcher.batchEntryErrors(FROM));
        assertEquals(0, dispatcher.batchEntryErrors(PeerId.of("someone-else")));
    }

    @Test
    void batchEntryWithMalformedTombstoneIsCountedAndTheRestApplied() {
        SyncBatch batch = new SyncBatch(1L, 0L, 5, List.of(
                Frame.of("tombstones:c:x", MessageType.TOMBSTONE, new byte[] {0, 9}),
                Frame.of("c:after", MessageType.DELTA_SYNC, new byte[] {5})));

        dispatcher.dispatch(FROM, batch.toFrame());

        verify(handler).onDeltaSync(eq(FROM), eq("c:after"), aryEq(new byte[] {5}));
        verifyNoMoreInteractions(handler);
        assertEquals(1, dispatcher.batchEntryErrors(FROM));
    }

    // ---- unknown and reserved types ----

    @Test
    void unknownTypeIsSkippedCountedAndNotHandled() {
        dispatcher.dispatch(FROM, new Frame("c:d", 0x42, new byte[] {1, 2, 3}));

        verifyNoInteractions(handler);
        assertEquals(1, unknownFrames());
    }

    @Test
    void reservedWindowedHistoryIsSkippedCountedAndNotHandled() {
        dispatcher.dispatch(FROM, Frame.of("c:d", MessageType.WINDOWED_HISTORY, new byte[] {1}));

        verifyNoInteractions(handler);
        assertEquals(1, unknownFrames());
    }

    @Test
    void everySkippedFrameIsCountedNotJustTheFirst() {
        dispatcher.dispatch(FROM, new Frame("c:d", 0x42, new byte[0]));
        dispatcher.dispatch(FROM, new Frame("c:d", 0x42, new byte[0]));
        dispatcher.dispatch(FROM, Frame.of("c:d", MessageType.WINDOWED_HISTORY, new byte[0]));

        assertEquals(3, unknownFrames());
        verifyNoInteractions(handler);
    }

    // ---- counts and malformed payloads ----

    @Test
    void dispatchedCountIncrementsOncePerFrameForEachArm() {
        TombstoneRecord rec = tombstone("d");
        List<Frame> oneOfEach = List.of(
                Frame.of("c:d", MessageType.DELTA_SYNC, new byte[] {1}),
                Frame.of("c:d", MessageType.STATE_SNAPSHOT, new byte[] {1}),
                Frame.of(rec.frameKey(), MessageType.TOMBSTONE, rec.encode()),
                Frame.of(TombstoneBatch.KEY, MessageType.TOMBSTONE_BATCH, TombstoneBatch.encode(List.of(rec, rec))),
                new SyncBatch(1L, 0L, 5, List.of(Frame.of("c:d", MessageType.DELTA_SYNC, new byte[] {1}))).toFrame(),
                Frame.of("_negentropy", MessageType.NEGENTROPY_INIT, NEG_INIT),
                Frame.of("_negentropy", MessageType.NEGENTROPY_RESPONSE, NEG_RESP));

        for (Frame f : oneOfEach) {
            MessageType t = f.type().orElseThrow();
            assertEquals(0, dispatcher.dispatchedCount(t), t + " before");
            dispatcher.dispatch(FROM, f);
            assertEquals(1, dispatcher.dispatchedCount(t), t + " after one");
            dispatcher.dispatch(FROM, f);
            assertEquals(2, dispatcher.dispatchedCount(t), t + " after two");
        }
        assertEquals(0, unknownFrames());
    }

    @Test
    void malformedTombstonePayloadIsDroppedWithoutThrowing() {
        assertDoesNotThrow(() -> dispatcher.dispatch(FROM, Frame.of("tombstones:c:d", MessageType.TOMBSTONE, new byte[] {0, 5, 'a'})));

        verifyNoInteractions(handler);
        assertEquals(0, dispatcher.dispatchedCount(MessageType.TOMBSTONE));
    }

    @Test
    void tombstoneWithUnknownDirectionIsDroppedWithoutThrowing() {
        byte[] bytes = tombstone("d").encode();
        bytes[bytes.length - 1] = 7;

        assertDoesNotThrow(() -> dispatcher.dispatch(FROM, Frame.of("tombstones:coll:d", MessageType.TOMBSTONE, bytes)));

        verifyNoInteractions(handler);
    }

    @Test
    void malformedTombstoneBatchIsDroppedWithoutThrowing() {
        assertDoesNotThrow(() -> dispatcher.dispatch(FROM,
                Frame.of(TombstoneBatch.KEY, MessageType.TOMBSTONE_BATCH, new byte[] {0, 0, 0, 3, 0})));

        assertEquals(0, dispatcher.dispatchedCount(MessageType.TOMBSTONE_BATCH));
    }

    @Test
    void malformedSyncBatchIsDroppedWithoutThrowing() {
        assertDoesNotThrow(() -> dispatcher.dispatch(FROM, Frame.of(SyncBatch.KEY, MessageType.SYNC_BATCH, new byte[] {1, 2, 3})));

        verifyNoInteractions(handler);
        assertEquals(0, dispatcher.dispatchedCount(MessageType.SYNC_BATCH));
    }

    @Test
    void negentropyMessageThatIsNotV1IsDroppedWithoutReachingTheHandler() {
        assertDoesNotThrow(() -> dispatcher.dispatch(FROM, Frame.of("_negentropy", MessageType.NEGENTROPY_INIT, new byte[] {0x62})));
        assertDoesNotThrow(() -> dispatcher.dispatch(FROM, Frame.of("_negentropy", MessageType.NEGENTROPY_RESPONSE, new byte[0])));

        verifyNoInteractions(handler);
        assertEquals(0, dispatcher.dispatchedCount(MessageType.NEGENTROPY_INIT));
        assertEquals(0, dispatcher.dispatchedCount(MessageType.NEGENTROPY_RESPONSE));
    }
}
