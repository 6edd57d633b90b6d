package io.peat.sync.internal.channel;

import io.peat.sync.ChannelState;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.peat.spi.ByteStream;
import io.peat.spi.PeatException;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import io.peat.sync.BackpressureException;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.FrameCodec;
import io.peat.sync.wire.FrameDecoder;
import io.peat.sync.wire.MessageType;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SyncChannelTest {
    private static final PeerId PEER = PeerId.of("peer-b");
    private static final HexFormat HEX = HexFormat.of();

    private PeerCounters counters;
    private FakeOwner owner;

    @BeforeEach
    void setUp() {
        counters = new PeerCounters();
        owner = new FakeOwner();
    }

    private SyncChannel channel(int maxFrames, long maxBytes) {
        return new SyncChannel(PEER, maxFrames, maxBytes, counters, owner);
    }

    /** A frame kept across reconnects (at-least-once): a snapshot. */
    private static Frame frame(int n) {
        return Frame.of("c:doc" + n, MessageType.STATE_SNAPSHOT, new byte[] {(byte) n, (byte) (n + 1)});
    }

    /** A sync message: made again from the reset sync state after a lost stream, so never written twice. */
    private static Frame delta(int n) {
        return Frame.of("c:doc" + n, MessageType.DELTA_SYNC, new byte[] {(byte) n, (byte) (n + 1)});
    }

    private static byte[] encoded(Frame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            out.writeBytes(FrameCodec.encodeToArray(f));
        }
        return out.toByteArray();
    }

    private static List<Frame> decode(byte[] bytes) {
        List<Frame> out = new ArrayList<>();
        new FrameDecoder("test", FrameCodec.DEFAULT_MAX_PAYLOAD).feed(ByteBuffer.wrap(bytes), out::add);
        return out;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, SECONDS);
    }

    private static Throwable failureOf(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> stage.toCompletableFuture().get(5, SECONDS));
        return e.getCause();
    }

    // ---- sending before a stream is attached ----

    @Test
    void sendWhileConnectingQueuesAndReturnsACompletedStage() throws Exception {
        SyncChannel ch = channel(16, 1 << 20);
        assertEquals(ChannelState.CONNECTING, ch.state());

        CompletionStage<Void> sent = ch.send(frame(1));

        assertTrue(sent.toCompletableFuture().isDone());
        await(sent);
        assertEquals(1, ch.queueDepth());
        assertEquals(frame(1).encodedSize(), ch.queuedBytes());
    }

    @Test
    void attachWritesQueuedFramesInOrderAndCountsWrittenBytes() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        ch.send(frame(2));
        ch.send(frame(3));
        RecordingStream s = new RecordingStream();

        ch.attach(s.stream, false);

        assertEquals(List.of(frame(1), frame(2), frame(3)), decode(s.written()));
        assertArrayEquals(encoded(frame(1), frame(2), frame(3)), s.written());
        assertEquals(s.written().length, counters.bytesSent.get());
        assertEquals(3, counters.framesSent.get(MessageType.STATE_SNAPSHOT.code()));
        assertEquals(0, ch.queueDepth());
        assertEquals(ChannelState.CONNECTED, ch.state());
    }

    @Test
    void sendAfterAttachIsWrittenToTheStream() {
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream s = new RecordingStream();
        ch.attach(s.stream, false);

        ch.send(frame(7));

        assertEquals(List.of(frame(7)), decode(s.written()));
        assertEquals(s.written().length, counters.bytesSent.get());
    }

    @Test
    void bytesSentCountsOnlyWhatTheStreamTook() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        ch.send(frame(2));
        RecordingStream s = new RecordingStream();
        s.holdWrite(1);  // the second write stays pending

        ch.attach(s.stream, false);

        assertEquals(frame(1).encodedSize(), counters.bytesSent.get(), "the pending write is not counted yet");
        s.pending(1).complete(null);
        assertEquals(frame(1).encodedSize() + frame(2).encodedSize(), counters.bytesSent.get());
    }

    @Test
    void attachWithOpenerWritesAnEmptySyncBatchBeforeQueuedFrames() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        RecordingStream s = new RecordingStream();

        ch.attach(s.stream, true);

        List<byte[]> writes = s.writes();
        assertEquals(2, writes.size());
        byte[] opener = writes.get(0);
        // key_len 5, "batch", type 0x07, payload_len 21 = 8 + 8 + 1 + 4
        assertEquals(7 + 5 + 21, opener.length);
        assertArrayEquals(HEX.parseHex("0005" + "6261746368" + "07" + "00000015"), Arrays.copyOfRange(opener, 0, 12));
        // payload: batch_id (8, any) created_at_ms (8, any) ttl 5, entry_count 0
        assertArrayEquals(HEX.parseHex("05" + "00000000"), Arrays.copyOfRange(opener, 12 + 16, opener.length));
        assertArrayEquals(encoded(frame(1)), writes.get(1));
        assertEquals(opener.length + writes.get(1).length, counters.bytesSent.get());
    }

    @Test
    void openerOnAnIdleChannelIsTheOnlyWrite() {
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream s = new RecordingStream();

        ch.attach(s.stream, true);

        List<Frame> frames = decode(s.written());
        assertEquals(1, frames.size());
        assertEquals("batch", frames.get(0).docKey());
        assertEquals(MessageType.SYNC_BATCH.code(), frames.get(0).typeCode());
    }

    // ---- generations and failure ----

    @Test
    void markFailedWithCurrentGenerationMovesToReconnectingAndNotifiesOwnerOnce() {
        SyncChannel ch = channel(16, 1 << 20);
        long gen = ch.attach(new RecordingStream().stream, false).generation();
        assertEquals(gen, ch.generation());
        RuntimeException cause = new RuntimeException("stream lost");

        assertTrue(ch.markFailed(gen, cause));

        assertEquals(ChannelState.RECONNECTING, ch.state());
        assertEquals(gen + 1, ch.generation());
        assertEquals(1, owner.failures.size());
        assertSame(ch, owner.failedChannels.get(0));
        assertSame(cause, owner.failures.get(0));
        assertEquals(1, counters.reconnects.get());
    }

    @Test
    void markFailedTwiceWithTheSameGenerationOnlyActsOnce() {
        SyncChannel ch = channel(16, 1 << 20);
        long gen = ch.attach(new RecordingStream().stream, false).generation();

        assertTrue(ch.markFailed(gen, new RuntimeException("reader")));
        assertFalse(ch.markFailed(gen, new RuntimeException("writer")));

        assertEquals(1, owner.failures.size());
        assertEquals(gen + 1, ch.generation());
    }

    @Test
    void aStreamAdoptedWhileConnectedReplacesTheOldOneSoTheSyncStateIsReset() {
        // Found by the interop kit (S4.2, netty dials kwik): the dialer's connection died silently, it redialed, and
        // this side adopted the new stream while it still believed the old one alive. What it had written on the old
        // stream was lost, but its Automerge sync state counted it as sent: the peer never got those changes.
        SyncChannel ch = channel(16, 1 << 20);
        assertFalse(ch.attach(new RecordingStream().stream, false).replacesStream(), "the first stream replaces nothing");
        assertEquals(ChannelState.CONNECTED, ch.state());
        assertTrue(ch.attach(new RecordingStream().stream, false).replacesStream(),
                "a stream adopted while CONNECTED must reset the peer's sync state");
    }

    @Test
    void markFailedFromAStaleGenerationChangesNothing() {
        // Upstream bug class: a stale writer from an old stream set a fresh channel back to Reconnecting.
        SyncChannel ch = channel(16, 1 << 20);
        long oldGen = ch.attach(new RecordingStream().stream, false).generation();
        assertTrue(ch.markFailed(oldGen, new RuntimeException("first stream died")));
        SyncChannel.Attached fresh = ch.attach(new RecordingStream().stream, false);
        assertTrue(fresh.replacesStream());
        long newGen = ch.generation();
        assertTrue(newGen > oldGen);

        assertFalse(ch.markFailed(oldGen, new RuntimeException("late failure from the old writer")));

        assertEquals(ChannelState.CONNECTED, ch.state());
        assertEquals(newGen, ch.generation());
        assertEquals(1, owner.failures.size(), "only the real failure reached the owner");
        assertEquals(1, counters.reconnects.get());
    }

    @Test
    void markFailedFromAnOlderStreamReplacedWithoutFailureChangesNothing() {
        SyncChannel ch = channel(16, 1 << 20);
        long first = ch.attach(new RecordingStream().stream, false).generation();
        long second = ch.attach(new RecordingStream().stream, false).generation();
        assertTrue(second > first);

        assertFalse(ch.markFailed(first, new RuntimeException("stale")));

        assertEquals(ChannelState.CONNECTED, ch.state());
        assertEquals(second, ch.generation());
        assertEquals(0, owner.failures.size());
    }

    @Test
    void sendWhileReconnectingGoesToThePerMessagePath() throws Exception {
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream s = new RecordingStream();
        long gen = ch.attach(s.stream, false).generation();
        ch.markFailed(gen, new RuntimeException("lost"));

        CompletionStage<Void> sent = ch.send(frame(4));

        assertEquals(List.of(frame(4)), owner.perMessage);
        assertEquals(List.of(PEER), owner.perMessagePeers);
        await(sent);
        assertEquals(0, ch.queueDepth());
        assertEquals(0, s.writes().size());
    }

    @Test
    void sendWhileReconnectingReturnsThePerMessageOutcome() {
        SyncChannel ch = channel(16, 1 << 20);
        long gen = ch.attach(new RecordingStream().stream, false).generation();
        ch.markFailed(gen, new RuntimeException("lost"));
        RuntimeException fallbackFailure = new RuntimeException("fallback failed");
        owner.perMessageResult = CompletableFuture.failedFuture(fallbackFailure);

        assertSame(fallbackFailure, failureOf(ch.send(frame(1))));
    }

    @Test
    void fullQueueRefusesWithBackpressureNamingThePeerAndQueuesNothing() {
        SyncChannel ch = channel(2, 1 << 20);
        ch.send(frame(1));
        ch.send(frame(2));

        Throwable t = failureOf(ch.send(frame(3)));

        BackpressureException e = assertInstanceOf(BackpressureException.class, t);
        assertTrue(e.getMessage().contains(PEER.value()), e.getMessage());
        assertEquals(2, ch.queueDepth());
        RecordingStream s = new RecordingStream();
        ch.attach(s.stream, false);
        assertEquals(List.of(frame(1), frame(2)), decode(s.written()), "the refused frame was not queued");
    }

    @Test
    void fullByteBoundRefusesWithBackpressure() {
        SyncChannel ch = channel(100, frame(1).encodedSize());
        ch.send(frame(1));

        assertInstanceOf(BackpressureException.class, failureOf(ch.send(frame(2))));
        assertEquals(1, ch.queueDepth());
        assertFalse(ch.hasRoom());
    }

    @Test
    void ownerIsToldWhenRoomAppearsAfterBackpressure() {
        SyncChannel ch = channel(1, 1 << 20);
        ch.send(frame(1));
        failureOf(ch.send(frame(2)));
        assertEquals(0, owner.writable.size());

        ch.attach(new RecordingStream().stream, false);

        assertEquals(List.of(PEER), owner.writable);
    }

    @Test
    void failedWritePutsTheFrameBackAtTheFrontAndMarksTheChannelFailed() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        ch.send(frame(2));
        RecordingStream s1 = new RecordingStream();
        RuntimeException boom = new RuntimeException("write failed");
        s1.failWrite(0, boom);

        long gen = ch.attach(s1.stream, false).generation();

        assertEquals(ChannelState.RECONNECTING, ch.state());
        assertEquals(gen + 1, ch.generation());
        assertEquals(List.of(boom), owner.failures);
        assertEquals(2, ch.queueDepth(), "the failed frame is back in the queue");
        assertEquals(0, counters.bytesSent.get(), "nothing was taken by the stream");

        RecordingStream s2 = new RecordingStream();
        ch.attach(s2.stream, false);
        assertEquals(List.of(frame(1), frame(2)), decode(s2.written()), "failed frame first, then the rest");
    }

    @Test
    void asynchronouslyFailedWriteIsRetriedFirstOnTheNextStream() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        ch.send(frame(2));
        RecordingStream s1 = new RecordingStream();
        s1.holdWrite(0);
        ch.attach(s1.stream, false);
        assertEquals(1, ch.queueDepth());

        s1.pending(0).completeExceptionally(new RuntimeException("connection lost"));

        assertEquals(ChannelState.RECONNECTING, ch.state());
        assertEquals(2, ch.queueDepth());
        assertEquals(1, owner.failures.size());
        RecordingStream s2 = new RecordingStream();
        ch.attach(s2.stream, false);
        assertEquals(List.of(frame(1), frame(2)), decode(s2.written()));
    }

    @Test
    void failedOpenerIsNotRequeued() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        RecordingStream s1 = new RecordingStream();
        s1.failWrite(0, new RuntimeException("opener write failed"));

        ch.attach(s1.stream, true);

        assertEquals(ChannelState.RECONNECTING, ch.state());
        assertEquals(1, ch.queueDepth(), "only the real frame waits for the next stream");
        RecordingStream s2 = new RecordingStream();
        ch.attach(s2.stream, false);
        assertEquals(List.of(frame(1)), decode(s2.written()));
    }

    @Test
    void staleWriterFinishesItsOldStreamAndNeverWritesToItAgain() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        ch.send(frame(2));
        ch.send(frame(3));
        RecordingStream oldStream = new RecordingStream();
        oldStream.holdWrite(0);
        ch.attach(oldStream.stream, false);
        assertEquals(1, oldStream.writes().size());

        RecordingStream newStream = new RecordingStream();
        long newGen = ch.attach(newStream.stream, false).generation();
        oldStream.pending(0).complete(null);

        verify(oldStream.stream, times(1)).write(any());
        verify(oldStream.stream).finish();
        assertEquals(List.of(frame(2), frame(3)), decode(newStream.written()));
        verify(newStream.stream, never()).finish();
        assertEquals(ChannelState.CONNECTED, ch.state());
        assertEquals(newGen, ch.generation());

        ch.send(frame(4));
        verify(oldStream.stream, times(1)).write(any());
        assertEquals(List.of(frame(2), frame(3), frame(4)), decode(newStream.written()));
    }

    @Test
    void staleWriterWhoseWriteFailsLeavesTheNewStreamConnected() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        RecordingStream oldStream = new RecordingStream();
        oldStream.holdWrite(0);
        ch.attach(oldStream.stream, false);
        RecordingStream newStream = new RecordingStream();
        long newGen = ch.attach(newStream.stream, false).generation();

        oldStream.pending(0).completeExceptionally(new RuntimeException("old stream reset"));

        assertEquals(ChannelState.CONNECTED, ch.state());
        assertEquals(newGen, ch.generation());
        assertEquals(0, owner.failures.size());
    }

    @Test
    void frameRequeuedByAStaleWriterIsDeliveredOnTheCurrentStreamWithoutAnotherSend() {
        // A stale writer's failed write puts its frame back in the queue (at-least-once). The current
        // writer has already drained the queue and gone idle, so someone must wake it, or the frame
        // waits for an unrelated later send (and is lost if none ever comes).
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        RecordingStream oldStream = new RecordingStream();
        oldStream.holdWrite(0);
        ch.attach(oldStream.stream, false);
        RecordingStream newStream = new RecordingStream();
        ch.attach(newStream.stream, false);

        oldStream.pending(0).completeExceptionally(new RuntimeException("old stream reset"));

        assertEquals(List.of(frame(1)), decode(newStream.written()));
        assertEquals(0, ch.queueDepth());
    }

    // ---- close ----

    @Test
    void closeFailsLaterSendsAndFinishesTheCurrentStream() {
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream s = new RecordingStream();
        ch.attach(s.stream, false);

        ch.close("test");

        assertEquals(ChannelState.CLOSED, ch.state());
        verify(s.stream).finish();
        Throwable t = failureOf(ch.send(frame(1)));
        assertInstanceOf(PeatException.class, t);
        assertTrue(t.getMessage().contains(PEER.value()), t.getMessage());
        assertEquals(0, owner.perMessage.size());
        assertEquals(0, s.writes().size());
    }

    @Test
    void closeDropsQueuedFramesAndFailsWritableWaiters() {
        SyncChannel ch = channel(1, 1 << 20);
        ch.send(frame(1));
        CompletionStage<Void> writable = ch.whenWritable();
        assertFalse(writable.toCompletableFuture().isDone());

        ch.close("test");

        assertEquals(0, ch.queueDepth());
        assertInstanceOf(PeatException.class, failureOf(writable));
    }

    @Test
    void attachAfterCloseIsRefused() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.close("test");
        RecordingStream s = new RecordingStream();

        assertEquals(-1, ch.attach(s.stream, true).generation());
        assertEquals(ChannelState.CLOSED, ch.state());
        assertEquals(0, s.writes().size());
    }

    // ---- settling, reconnect without repeats, goodbye, heartbeat (issue 13) ----

    @Test
    void aStreamThisSideOpenedCarriesOnlyItsOpenerUntilThePeerAnswers() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        RecordingStream s = new RecordingStream(true);

        long gen = ch.attach(s.stream, true).generation();

        assertEquals(1, s.writes().size(), "only the opener before the peer adopted the stream");
        assertFalse(ch.isLive());
        CompletableFuture<Void> live = ch.whenLive();
        assertFalse(live.isDone());
        ch.send(frame(2));
        assertEquals(1, s.writes().size());

        assertTrue(ch.settle(gen));

        assertTrue(ch.isLive());
        assertEquals(List.of(frame(1), frame(2)), decode(s.written()).subList(1, 3));
        assertEquals(List.of(s.stream), owner.settled);
        assertFalse(ch.settle(gen), "settles once");
        live.orTimeout(5, SECONDS).join(); // completes (off the channel's lock)
    }

    @Test
    void aSettledStreamReplacedByOneThisSideOpenedIsFinishedOnlyOnceTheReplacementSettles() {
        // Simultaneous dial: the peer's stream was adopted and answered (the peer takes it as its current one),
        // then this side's own stream replaces it. A FIN on the old stream before the peer saw the new one would
        // make the peer's channel flap to RECONNECTING right after its connect() returned.
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream theirs = new RecordingStream(false);
        assertTrue(ch.offer(theirs.stream, false, PeerId.of("peer-z")).adopted());
        RecordingStream ours = new RecordingStream(true);
        long gen = ch.attach(ours.stream, true).generation();

        verify(theirs.stream, never()).finish();
        assertTrue(ch.settle(gen));
        verify(theirs.stream).finish();
        verify(ours.stream, never()).finish();
    }

    @Test
    void aHeldFinGoesWhenTheChannelMovesOnInstead() {
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream theirs = new RecordingStream(false);
        ch.offer(theirs.stream, false, PeerId.of("peer-z"));
        RecordingStream ours = new RecordingStream(true);
        long gen = ch.attach(ours.stream, true).generation();
        verify(theirs.stream, never()).finish();

        assertTrue(ch.markFailed(gen, new RuntimeException("the replacement died before the peer answered")));

        verify(theirs.stream).finish();
    }

    @Test
    void aStreamThePeerOpenedIsAnsweredWithAnOpenerAndIsLiveAtOnce() {
        SyncChannel ch = channel(16, 1 << 20);
        ch.send(frame(1));
        RecordingStream s = new RecordingStream(false);

        SyncChannel.Attached a = ch.offer(s.stream, false, PeerId.of("peer-a"));

        assertTrue(a.adopted());
        assertTrue(ch.isLive());
        List<Frame> written = decode(s.written());
        assertEquals(MessageType.SYNC_BATCH.code(), written.get(0).typeCode(), "the answer that settles the peer's stream");
        assertEquals(frame(1), written.get(1));
    }

    @Test
    void aLostStreamDropsQueuedSyncMessagesAndKeepsOtherFrames() {
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream s1 = new RecordingStream();
        s1.holdWrite(0);
        ch.send(delta(1)); // in flight when the stream dies
        long gen = ch.attach(s1.stream, false).generation();
        ch.send(delta(2));
        ch.send(frame(3));
        ch.send(delta(4));

        s1.pending(0).completeExceptionally(new RuntimeException("connection lost"));

        assertEquals(ChannelState.RECONNECTING, ch.state());
        assertEquals(gen + 1, ch.generation());
        RecordingStream s2 = new RecordingStream();
        ch.attach(s2.stream, false);
        assertEquals(List.of(frame(3)), decode(s2.written()),
                "sync messages are made again from the reset sync states; written again they would cross twice");
    }

    @Test
    void replacingAStreamThatCarriedOnlyOpenersLosesNothing() {
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream mine = new RecordingStream(true);
        ch.attach(mine.stream, true);

        SyncChannel.Attached theirs = ch.attach(new RecordingStream(false).stream, true);

        assertFalse(theirs.replacesStream(), "a simultaneous open settling is not a lost stream");
        RecordingStream later = new RecordingStream(false);
        assertTrue(ch.attach(later.stream, false).replacesStream(), "once a stream was live, a new one replaces it");
    }

    @Test
    void aPeerThatClosedItsNodeIsSentNothingUntilItComesBack() {
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream s = new RecordingStream();
        ch.attach(s.stream, false);
        ch.send(delta(1));
        int written = s.writes().size();

        assertTrue(ch.peerClosed(s.stream.connection(), "code 2 (peat node closing) by the peer"));

        assertEquals(ChannelState.CLOSED_BY_PEER, ch.state());
        Throwable t = failureOf(ch.send(frame(2)));
        assertTrue(t.getMessage().contains("closed its node"), t.getMessage());
        assertEquals(0, owner.perMessage.size(), "no per-message send toward a peer that said goodbye");
        assertEquals(written, s.writes().size());
        assertEquals(List.of("CONNECTING->CONNECTED", "CONNECTED->CLOSED_BY_PEER"), owner.states);

        RecordingStream back = new RecordingStream();
        assertTrue(ch.offer(back.stream, false, PeerId.of("peer-a")).adopted(), "the peer's new stream brings it back");
        assertEquals(ChannelState.CONNECTED, ch.state());
    }

    @Test
    void anIdleSettledStreamCarriesAHeartbeatAndABusyOneDoesNot() {
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream s = new RecordingStream();
        ch.attach(s.stream, false);
        long interval = TimeUnit.SECONDS.toNanos(5);
        long now = System.nanoTime();

        assertFalse(ch.heartbeatIfIdle(now, interval), "just written (attached): no heartbeat");
        assertTrue(ch.heartbeatIfIdle(now + interval, interval));

        List<Frame> frames = decode(s.written());
        assertEquals(1, frames.size());
        assertEquals(MessageType.SYNC_BATCH.code(), frames.get(0).typeCode());
        RecordingStream unsettled = new RecordingStream(true);
        SyncChannel other = channel(16, 1 << 20);
        other.attach(unsettled.stream, true);
        assertFalse(other.heartbeatIfIdle(System.nanoTime() + interval, interval), "no heartbeat on a stream not yet adopted");
    }

    // ---- fakes ----

    /** Records what the channel asks of its owner. */
    static final class FakeOwner implements SyncChannel.ChannelOwner {
        final List<Frame> perMessage = new CopyOnWriteArrayList<>();
        final List<PeerId> perMessagePeers = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final List<SyncChannel> failedChannels = new CopyOnWriteArrayList<>();
        final List<PeerId> writable = new CopyOnWriteArrayList<>();
        volatile CompletionStage<Void> perMessageResult = CompletableFuture.completedFuture(null);

        @Override
        public CompletionStage<Void> sendPerMessage(PeerId peer, Frame frame) {
            perMessagePeers.add(peer);
            perMessage.add(frame);
            return perMessageResult;
        }

        final List<String> states = new CopyOnWriteArrayList<>();
        final List<ByteStream> settled = new CopyOnWriteArrayList<>();

        @Override
        public void onFailed(SyncChannel channel, Throwable cause, PeerConnection lostOn) {
            failedChannels.add(channel);
            failures.add(cause);
        }

        @Override
        public void onWritable(PeerId peer) {
            writable.add(peer);
        }

        @Override
        public void onSettled(SyncChannel channel, ByteStream stream) {
            settled.add(stream);
        }

        @Override
        public void onStateChanged(SyncChannel channel, ChannelState from, ChannelState to, long generation, String reason) {
            states.add(from + "->" + to);
        }
    }

    /**
     * A Mockito ByteStream whose writes are captured. Write number i completes at once unless told
     * to hold it (then the test completes it) or to fail it.
     */
    @Test
    void anIdleWriterWhoseStreamIsReplacedFinishesItsStreamSoThePeersReaderEnds() {
        SyncChannel ch = channel(16, 1 << 20);
        RecordingStream first = new RecordingStream();
        ch.attach(first.stream, false);
        verify(first.stream, never()).finish();

        RecordingStream second = new RecordingStream();
        ch.attach(second.stream, false);

        verify(first.stream, times(1)).finish();
        verify(second.stream, never()).finish();
        ch.send(frame(1));
        assertEquals(List.of(frame(1)), decode(second.written()));
        assertEquals(0, first.written().length, "the replaced stream got a frame");
    }

    static final class RecordingStream {
        final ByteStream stream = mock(ByteStream.class);
        private final List<byte[]> writes = new CopyOnWriteArrayList<>();
        private final java.util.Map<Integer, CompletableFuture<Void>> held = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.Map<Integer, Throwable> failing = new java.util.concurrent.ConcurrentHashMap<>();

        /** A stream the peer opened: settled from the start. */
        RecordingStream() {
            this(false);
        }

        /** @param outbound whether this side opened it (it then waits for the peer's first bytes) */
        RecordingStream(boolean outbound) {
            PeerConnection conn = mock(PeerConnection.class);
            when(conn.remotePeerId()).thenReturn(PEER);
            when(conn.isOpen()).thenReturn(true);
            when(stream.connection()).thenReturn(conn);
            when(stream.isLocallyInitiated()).thenReturn(outbound);
            when(stream.finish()).thenReturn(CompletableFuture.completedFuture(null));
            when(stream.write(any())).thenAnswer(inv -> {
                ByteBuffer b = inv.getArgument(0);
                byte[] copy = new byte[b.remaining()];
                b.get(copy);
                int index = writes.size();
                writes.add(copy);
                Throwable fail = failing.get(index);
                if (fail != null) {
                    return CompletableFuture.failedFuture(fail);
                }
                CompletableFuture<Void> hold = held.get(index);
                return hold != null ? hold : CompletableFuture.completedFuture(null);
            });
        }

        void holdWrite(int index) {
            held.put(index, new CompletableFuture<>());
        }

        CompletableFuture<Void> pending(int index) {
            CompletableFuture<Void> f = held.get(index);
            assertNotNull(f);
            return f;
        }

        void failWrite(int index, Throwable cause) {
            failing.put(index, cause);
        }

        List<byte[]> writes() {
            return writes;
        }

        byte[] written() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writes.forEach(out::writeBytes);
            return out.toByteArray();
        }
    }
}
