package io.peat.sync.internal.channel;

import io.peat.sync.wire.MessageType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A peer's bounded send queue, bounded in frames and in bytes (SPEC section 3.2). A frame larger
 * than the byte bound is still taken into an empty queue, so that one maximal snapshot can always
 * go. Thread-safe: senders offer on their threads, the writer polls on its own; every method holds
 * the queue's monitor briefly and never calls out while holding it.
 */
final class SendQueue {
    private record Waiter(int bytes, CompletableFuture<Void> future) {
    }

    private final int maxFrames;
    private final long maxBytes;
    // Guarded by this.
    private final ArrayDeque<EncodedFrame> frames = new ArrayDeque<>();
    private long bytes;
    /** Waiters for room, each with the bytes it needs. */
    private final List<Waiter> writableWaiters = new ArrayList<>();
    // The smallest frame someone found no room for (-1: nobody); onRoom runs once when it fits.
    private long wanted = -1;
    private final Runnable onRoom;

    /**
     * @param onRoom run (outside the monitor, on the polling thread) once the smallest frame someone
     *     found no room for fits
     */
    SendQueue(int maxFrames, long maxBytes, Runnable onRoom) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.onRoom = onRoom;
    }

    synchronized boolean offer(EncodedFrame f) {
        if (!fits(f.bytes().length)) {
            want(f.bytes().length);
            return false;
        }
        frames.addLast(f);
        bytes += f.bytes().length;
        return true;
    }

    /** Puts back a frame whose write failed, ahead of the rest; ignores the bounds (it was counted before). */
    synchronized void pushFront(EncodedFrame f) {
        frames.addFirst(f);
        bytes += f.bytes().length;
    }

    EncodedFrame poll() {
        EncodedFrame f;
        Wakeups w;
        synchronized (this) {
            f = frames.pollFirst();
            if (f == null) {
                return null;
            }
            bytes -= f.bytes().length;
            w = wakeupsLocked();
        }
        w.run(onRoom);
        return f;
    }

    /**
     * Drops every queued frame the sync layer regenerates from its reset sync states after a lost
     * stream (DeltaSync and SyncFragment): written again, they would cross a second time.
     *
     * @return how many were dropped
     */
    int dropRegenerated() {
        int dropped = 0;
        Wakeups w;
        synchronized (this) {
            for (Iterator<EncodedFrame> it = frames.iterator(); it.hasNext(); ) {
                EncodedFrame f = it.next();
                if (isRegenerated(f)) {
                    it.remove();
                    bytes -= f.bytes().length;
                    dropped++;
                }
            }
            w = wakeupsLocked();
        }
        w.run(onRoom);
        return dropped;
    }

    /** @return whether the frame is one the sync layer makes again from its sync states */
    static boolean isRegenerated(EncodedFrame f) {
        return f.typeCode() == MessageType.DELTA_SYNC.code() || f.typeCode() == MessageType.SYNC_FRAGMENT.code();
    }

    /** Who to wake now that frames left the queue; run outside the monitor. */
    private record Wakeups(List<CompletableFuture<Void>> waiters, boolean signal) {
        void run(Runnable onRoom) {
            waiters.forEach(w -> w.complete(null));
            if (signal) {
                onRoom.run();
            }
        }
    }

    // Holds this.
    private Wakeups wakeupsLocked() {
        List<CompletableFuture<Void>> wake = List.of();
        if (!writableWaiters.isEmpty()) {
            wake = new ArrayList<>();
            for (Iterator<Waiter> it = writableWaiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (fits(w.bytes())) {
                    wake.add(w.future());
                    it.remove();
                }
            }
        }
        boolean signal = wanted >= 0 && fits(wanted);
        if (signal) {
            wanted = -1;
        }
        return new Wakeups(wake, signal);
    }

    // Holds this.
    private void want(long size) {
        wanted = wanted < 0 ? size : Math.min(wanted, size);
    }

    synchronized boolean hasRoom() {
        return hasRoom(1);
    }

    /** @return whether a frame of {@code size} encoded bytes would be taken now */
    synchronized boolean hasRoom(int size) {
        boolean room = fits(size);
        if (!room) {
            want(size);
        }
        return room;
    }

    synchronized int size() {
        return frames.size();
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized boolean isEmpty() {
        return frames.isEmpty();
    }

    synchronized String describe() {
        return frames.size() + "/" + maxFrames + " frames, " + bytes + "/" + maxBytes + " bytes queued";
    }

    CompletableFuture<Void> whenWritable() {
        return whenWritable(1);
    }

    /** Completes once a frame of {@code size} encoded bytes would be taken (at once if it would now). */
    CompletableFuture<Void> whenWritable(int size) {
        synchronized (this) {
            if (!fits(size)) {
                CompletableFuture<Void> f = new CompletableFuture<>();
                writableWaiters.add(new Waiter(size, f));
                return f;
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Drops every frame and fails the waiters; used when the channel closes. */
    void clear(RuntimeException cause) {
        List<CompletableFuture<Void>> wake;
        synchronized (this) {
            frames.clear();
            bytes = 0;
            wake = writableWaiters.stream().map(Waiter::future).toList();
            writableWaiters.clear();
        }
        wake.forEach(w -> w.completeExceptionally(cause));
    }

    private boolean fits(long size) {
        if (frames.size() >= maxFrames) {
            return false;
        }
        return frames.isEmpty() || bytes + size <= maxBytes;
    }
}
