package io.peat.sync;

import io.peat.sync.wire.FrameCodec;
import java.time.Duration;

/**
 * Limits and timings of the sync layer. Immutable; defaults follow SPEC section 5.
 *
 * @param sendQueueFrames frames a peer's send queue holds (default 1024)
 * @param sendQueueBytes bytes a peer's send queue holds (default 32 MiB); one frame larger than this
 *     is still accepted into an empty queue, so a maximal snapshot can always go
 * @param maxPayloadBytes largest frame payload accepted from a peer (default 16 MiB)
 * @param maxFallbackInFlight per-message (fallback) sends in flight per peer (default 64)
 * @param reconnectAttempts quick reconnect attempts before backing off (default 3)
 * @param reconnectDelay delay between quick attempts (default 500 ms)
 * @param reconnectMaxBackoff the longest wait between later attempts (default 30 s)
 * @param readTimeout how long a one-shot stream may take to answer (default 30 s)
 * @param coordinatorQueue local tasks (application calls, channel events) the sync thread may have
 *     waiting (default 65536); frames read from peers never wait in this queue and are never refused
 * @param maxPendingBytesPerPeer bytes one peer may hold in this node, read but not yet applied,
 *     across all its streams (default 64 MiB, four maximal frames); a stream whose bytes would go
 *     over it is reset as a protocol violation. At least {@code maxPayloadBytes}, so one maximal
 *     frame always fits
 * @param coalesceWindow while the application still has calls queued on the sync thread, a document
 *     sent to a peer less than this long ago waits, so a burst of changes goes out as one message
 *     (default 500 ms); the moment the queue is empty every waiting document goes. A change made
 *     while the node is idle is never held
 */
public record SyncConfig(int sendQueueFrames, long sendQueueBytes, int maxPayloadBytes, int maxFallbackInFlight,
        int reconnectAttempts, Duration reconnectDelay, Duration reconnectMaxBackoff, Duration readTimeout,
        int coordinatorQueue, long maxPendingBytesPerPeer, Duration coalesceWindow) {

    /** Checks every limit is positive. */
    public SyncConfig {
        positive("sendQueueFrames", sendQueueFrames);
        positive("sendQueueBytes", sendQueueBytes);
        positive("maxPayloadBytes", maxPayloadBytes);
        positive("maxFallbackInFlight", maxFallbackInFlight);
        positive("reconnectAttempts", reconnectAttempts);
        positive("reconnectDelay", reconnectDelay.toMillis());
        positive("reconnectMaxBackoff", reconnectMaxBackoff.toMillis());
        positive("readTimeout", readTimeout.toMillis());
        positive("coordinatorQueue", coordinatorQueue);
        positive("coalesceWindow", coalesceWindow.toMillis());
        if (maxPendingBytesPerPeer < maxPayloadBytes + 65_542L) {
            throw new IllegalArgumentException("SyncConfig.maxPendingBytesPerPeer must hold one maximal frame (maxPayloadBytes "
                    + maxPayloadBytes + " + 65542 header bytes), got " + maxPendingBytesPerPeer);
        }
    }

    /** @return the defaults of SPEC section 5 */
    public static SyncConfig defaults() {
        return new SyncConfig(1024, 32L * 1024 * 1024, FrameCodec.DEFAULT_MAX_PAYLOAD, 64, 3, Duration.ofMillis(500),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 65536, 4L * FrameCodec.DEFAULT_MAX_PAYLOAD, Duration.ofMillis(500));
    }

    /**
     * @param frames frames per peer queue
     * @param bytes bytes per peer queue
     * @return a copy with those queue limits
     */
    public SyncConfig withSendQueue(int frames, long bytes) {
        return new SyncConfig(frames, bytes, maxPayloadBytes, maxFallbackInFlight, reconnectAttempts, reconnectDelay,
                reconnectMaxBackoff, readTimeout, coordinatorQueue, maxPendingBytesPerPeer, coalesceWindow);
    }

    /**
     * @param max the payload cap in bytes
     * @return a copy with that cap (and the pending bound raised to hold one such frame if needed)
     */
    public SyncConfig withMaxPayloadBytes(int max) {
        return new SyncConfig(sendQueueFrames, sendQueueBytes, max, maxFallbackInFlight, reconnectAttempts, reconnectDelay,
                reconnectMaxBackoff, readTimeout, coordinatorQueue, Math.max(maxPendingBytesPerPeer, max + 65_542L), coalesceWindow);
    }

    /**
     * @param bytes what one peer may hold pending across its streams
     * @return a copy with that bound
     */
    public SyncConfig withMaxPendingBytesPerPeer(long bytes) {
        return new SyncConfig(sendQueueFrames, sendQueueBytes, maxPayloadBytes, maxFallbackInFlight, reconnectAttempts, reconnectDelay,
                reconnectMaxBackoff, readTimeout, coordinatorQueue, bytes, coalesceWindow);
    }

    /**
     * @param tasks local tasks the sync thread may have waiting
     * @return a copy with that bound
     */
    public SyncConfig withCoordinatorQueue(int tasks) {
        return new SyncConfig(sendQueueFrames, sendQueueBytes, maxPayloadBytes, maxFallbackInFlight, reconnectAttempts, reconnectDelay,
                reconnectMaxBackoff, readTimeout, tasks, maxPendingBytesPerPeer, coalesceWindow);
    }

    /**
     * @param window how long a document sent to a peer may wait while the node is busy
     * @return a copy with that window
     */
    public SyncConfig withCoalesceWindow(Duration window) {
        return new SyncConfig(sendQueueFrames, sendQueueBytes, maxPayloadBytes, maxFallbackInFlight, reconnectAttempts, reconnectDelay,
                reconnectMaxBackoff, readTimeout, coordinatorQueue, maxPendingBytesPerPeer, window);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException("SyncConfig." + name + " must be > 0, got " + v);
        }
    }
}
