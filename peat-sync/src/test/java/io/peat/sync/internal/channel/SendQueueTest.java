package io.peat.sync.internal.channel;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peat.sync.wire.MessageType;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SendQueueTest {

    private final AtomicInteger roomSignals = new AtomicInteger();

    private SendQueue queue(int maxFrames, long maxBytes) {
        return new SendQueue(maxFrames, maxBytes, roomSignals::incrementAndGet);
    }

    private static EncodedFrame frame(int size) {
        return new EncodedFrame(0, new byte[size]);
    }

    private static EncodedFrame tagged(int tag, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) tag;
        return new EncodedFrame(0, b);
    }

    @Test
    void refusesOnceTheFrameBoundIsReached() {
        SendQueue q = queue(2, 1_000_000);

        assertTrue(q.offer(frame(1)));
        assertTrue(q.offer(frame(1)));
        assertFalse(q.offer(frame(1)));
        assertEquals(2, q.size());
    }

    @Test
    void refusesAFrameThatWouldPassTheByteBound() {
        SendQueue q = queue(100, 10);

        assertTrue(q.offer(frame(6)));
        assertFalse(q.offer(frame(5)), "6 + 5 > 10");
        assertTrue(q.offer(frame(4)), "6 + 4 = 10 still fits");
        assertEquals(10, q.bytes());
        assertEquals(2, q.size());
    }

    @Test
    void frameLargerThanTheByteBoundIsAcceptedIntoAnEmptyQueue() {
        SendQueue q = queue(100, 10);

        assertTrue(q.offer(frame(50)));
        assertEquals(50, q.bytes());
        assertFalse(q.offer(frame(1)), "nothing more fits behind an oversized frame");
    }

    @Test
    void frameLargerThanTheByteBoundIsRefusedWhenTheQueueIsNotEmpty() {
        SendQueue q = queue(100, 10);
        assertTrue(q.offer(frame(1)));

        assertFalse(q.offer(frame(50)));
        assertEquals(1, q.size());
        assertEquals(1, q.bytes());
    }

    @Test
    void pollReturnsFramesInOfferOrderAndReleasesTheirBytes() {
        SendQueue q = queue(10, 100);
        EncodedFrame a = tagged(1, 3);
        EncodedFrame b = tagged(2, 4);
        q.offer(a);
        q.offer(b);

        assertSame(a, q.poll());
        assertEquals(4, q.bytes());
        assertSame(b, q.poll());
        assertEquals(0, q.bytes());
        assertNull(q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void pushFrontPutsAFrameAheadOfTheRestEvenWhenFull() {
        SendQueue q = queue(1, 100);
        EncodedFrame queued = tagged(1, 3);
        EncodedFrame failed = tagged(2, 3);
        q.offer(queued);

        q.pushFront(failed);

        assertEquals(2, q.size());
        assertEquals(6, q.bytes());
        assertSame(failed, q.poll());
        assertSame(queued, q.poll());
    }

    @Test
    void whenWritableIsCompleteAtOnceWhenThereIsRoom() {
        SendQueue q = queue(2, 100);
        q.offer(frame(1));

        assertTrue(q.whenWritable().isDone());
    }

    @Test
    void whenWritableCompletesAfterPollFreesRoom() throws Exception {
        SendQueue q = queue(1, 100);
        q.offer(frame(1));

        CompletableFuture<Void> writable = q.whenWritable();
        assertFalse(writable.isDone(), "queue is full");

        q.poll();

        writable.get(5, SECONDS);
        assertTrue(writable.isDone() && !writable.isCompletedExceptionally());
    }

    @Test
    void whenWritableWaitsOnTheByteBoundToo() throws Exception {
        SendQueue q = queue(100, 10);
        q.offer(frame(10));

        CompletableFuture<Void> writable = q.whenWritable();
        assertFalse(writable.isDone(), "byte bound reached");

        q.poll();
        writable.get(5, SECONDS);
    }

    /**
     * Pin (issue 13's finding): whenWritable() promised room for one byte while send checks the real
     * frame, so a sender retrying a refused 50-byte frame woke after every poll, was refused again,
     * and spun. whenWritable(50) wakes only once 50 bytes fit.
     */
    @Test
    void whenWritableForASizeWaitsUntilThatManyBytesFit() throws Exception {
        SendQueue q = queue(100, 100);
        for (int i = 0; i < 9; i++) {
            q.offer(frame(10));
        }
        assertFalse(q.offer(frame(50)), "90 of 100 bytes queued: a 50-byte frame is refused");
        assertFalse(q.hasRoom(50));
        CompletableFuture<Void> room = q.whenWritable(50);
        int refusedRetries = 0;
        for (int i = 0; i < 3; i++) {
            q.poll(); // 80, 70, 60 bytes left queued: still no room for 50
            assertFalse(room.isDone(), "woke with " + q.bytes() + " bytes queued");
            if (!q.offer(frame(50))) {
                refusedRetries++;
            }
        }
        assertEquals(3, refusedRetries, "a frame offered early is still refused");
        q.poll(); // 50 left: a 50-byte frame fits
        room.get(5, SECONDS);
        assertTrue(q.hasRoom(50));
        assertTrue(q.offer(frame(50)));
    }

    @Test
    void whenWritableForMoreThanTheBoundWaitsForAnEmptyQueue() throws Exception {
        SendQueue q = queue(100, 100);
        q.offer(frame(10));
        q.offer(frame(10));
        CompletableFuture<Void> room = q.whenWritable(500);
        q.poll();
        assertFalse(room.isDone(), "one frame still queued");
        q.poll();
        room.get(5, SECONDS);
    }

    @Test
    void onRoomRunsOnceAfterARefusedOfferWhenRoomAppears() {
        SendQueue q = queue(2, 100);
        q.offer(frame(1));
        q.offer(frame(1));
        assertFalse(q.offer(frame(1)));
        assertEquals(0, roomSignals.get(), "no room yet");

        q.poll();
        assertEquals(1, roomSignals.get());

        q.poll();
        assertEquals(1, roomSignals.get(), "only once per time the queue was found full");
    }

    @Test
    void onRoomRunsOnceAfterHasRoomFoundTheQueueFull() {
        SendQueue q = queue(1, 100);
        q.offer(frame(1));
        assertFalse(q.hasRoom());
        assertFalse(q.hasRoom());

        q.poll();

        assertEquals(1, roomSignals.get());
    }

    /**
     * Issue 13: the coordinator was woken when room for one byte appeared, tried its refused frame
     * again, was refused again, and so on at every frame the writer took. It is now woken once the
     * frame it was refused fits.
     */
    @Test
    void onRoomWaitsUntilTheRefusedFrameFits() {
        SendQueue q = queue(100, 100);
        for (int i = 0; i < 9; i++) {
            q.offer(frame(10));
        }
        assertFalse(q.offer(frame(50)));
        for (int i = 0; i < 3; i++) {
            q.poll(); // 80, 70, 60 bytes queued: the 50-byte frame still does not fit
            assertEquals(0, roomSignals.get(), "woken with " + q.bytes() + " bytes queued");
        }
        q.poll();
        assertEquals(1, roomSignals.get(), "woken once 50 bytes fit");
    }

    @Test
    void droppingRegeneratedFramesKeepsTheOthersInOrderAndWakesWaiters() throws Exception {
        SendQueue q = queue(3, 1000);
        q.offer(new EncodedFrame(MessageType.DELTA_SYNC.code(), new byte[10]));
        q.offer(new EncodedFrame(MessageType.TOMBSTONE.code(), new byte[11]));
        q.offer(new EncodedFrame(MessageType.SYNC_FRAGMENT.code(), new byte[12]));
        CompletableFuture<Void> room = q.whenWritable(5);
        assertFalse(room.isDone());

        assertEquals(2, q.dropRegenerated());

        assertEquals(1, q.size());
        assertEquals(11, q.bytes());
        assertEquals(MessageType.TOMBSTONE.code(), q.poll().typeCode());
        room.get(5, SECONDS);
    }

    @Test
    void onRoomDoesNotRunWhenNobodyFoundTheQueueFull() {
        SendQueue q = queue(1, 100);
        q.offer(frame(1));
        // The queue is full, but no offer was refused and nobody asked hasRoom().

        q.poll();

        assertEquals(0, roomSignals.get());
    }

    @Test
    void onRoomDoesNotRunWhenHasRoomSaidYes() {
        SendQueue q = queue(2, 100);
        q.offer(frame(1));
        assertTrue(q.hasRoom());

        q.poll();

        assertEquals(0, roomSignals.get());
    }

    @Test
    void onRoomRunsAgainForASecondFullEpisode() {
        SendQueue q = queue(1, 100);
        q.offer(frame(1));
        assertFalse(q.offer(frame(1)));
        q.poll();
        q.offer(frame(1));
        assertFalse(q.offer(frame(1)));
        q.poll();

        assertEquals(2, roomSignals.get());
    }

    @Test
    void clearDropsFramesAndFailsWaiters() {
        SendQueue q = queue(1, 100);
        q.offer(frame(5));
        CompletableFuture<Void> writable = q.whenWritable();
        RuntimeException cause = new RuntimeException("channel closed");

        q.clear(cause);

        assertEquals(0, q.size());
        assertEquals(0, q.bytes());
        ExecutionException e = assertThrows(ExecutionException.class, () -> writable.get(5, SECONDS));
        assertSame(cause, e.getCause());
    }

    @Test
    void describeNamesBothBounds() {
        SendQueue q = queue(3, 40);
        q.offer(frame(7));

        String d = q.describe();
        assertTrue(d.contains("1/3"), d);
        assertTrue(d.contains("7/40"), d);
    }
}
