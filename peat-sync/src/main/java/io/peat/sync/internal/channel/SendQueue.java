package io.peat.sync.internal.channel;

import java.util.ArrayDeque;
import java.util.ArrayList;
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
    // Set when someone found the queue full; cleared (and onRoom run once) when room appears.
    private boolean roomWanted;
    private final Runnable onRoom;

    /**
     * @param onRoom run (outside the monitor, on the polling thread) once room appears after
     *     someone found the queue full
     */
    SendQueue(int maxFrames, long maxBytes, Runnable onRoom) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
        this.onRoom = onRoom;
    }

    synchronized boolean offer(EncodedFrame f) {
        if (!fits(f.bytes().length)) {
            roomWanted = true;
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
        List<CompletableFuture<Void>> wake = List.of();
        boolean signal = false;
        synchronized (this) {
            f = frames.pollFirst();
            if (f == null) {
                return null;
            }
            bytes -= f.bytes().length;
            if (!writableWaiters.isEmpty()) {
                wake = new ArrayList<>();
                for (java.util.Iterator<Waiter> it = writableWaiters.iterator(); it.hasNext(); ) {
                    Waiter w = it.next();
                    if (fits(w.bytes())) {
                        wake.add(w.future());
                        it.remove();
                    }
                }
            }
            if (fits(1)) {
                signal = roomWanted;
                roomWanted = false;
            }
        }
        wake.forEach(w -> w.complete(null));
        if (signal) {
            onRoom.run();
        }
        return f;
    }

    synchronized boolean hasRoom() {
        return hasRoom(1);
    }

    /** @return whether a frame of {@code size} encoded bytes would be taken now */
    synchronized boolean hasRoom(int size) {
        boolean room = fits(size);
        roomWanted |= !room;
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
