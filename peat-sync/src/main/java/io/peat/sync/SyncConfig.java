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
 * @param coordinatorQueue tasks the coordinator thread may have waiting (default 65536)
 */
public record SyncConfig(int sendQueueFrames, long sendQueueBytes, int maxPayloadBytes, int maxFallbackInFlight,
        int reconnectAttempts, Duration reconnectDelay, Duration reconnectMaxBackoff, Duration readTimeout,
        int coordinatorQueue) {

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
    }

    /** @return the defaults of SPEC section 5 */
    public static SyncConfig defaults() {
        return new SyncConfig(1024, 32L * 1024 * 1024, FrameCodec.DEFAULT_MAX_PAYLOAD, 64, 3, Duration.ofMillis(500),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 65536);
    }

    /**
     * @param frames frames per peer queue
     * @param bytes bytes per peer queue
     * @return a copy with those queue limits
     */
    public SyncConfig withSendQueue(int frames, long bytes) {
        return new SyncConfig(frames, bytes, maxPayloadBytes, maxFallbackInFlight, reconnectAttempts, reconnectDelay,
                reconnectMaxBackoff, readTimeout, coordinatorQueue);
    }

    /**
     * @param max the payload cap in bytes
     * @return a copy with that cap
     */
    public SyncConfig withMaxPayloadBytes(int max) {
        return new SyncConfig(sendQueueFrames, sendQueueBytes, max, maxFallbackInFlight, reconnectAttempts, reconnectDelay,
                reconnectMaxBackoff, readTimeout, coordinatorQueue);
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException("SyncConfig." + name + " must be > 0, got " + v);
        }
    }
}
