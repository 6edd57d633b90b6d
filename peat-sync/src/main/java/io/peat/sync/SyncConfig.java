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
 * @param departAfter how long a peer may stay unreachable (reconnecting, or closed by itself) before
 *     it is <em>departed</em>: everything held for it is released, and it starts fresh if it comes
 *     back (default 5 min; SPEC 3.11)
 * @param settleTimeout how long a stream this side opened carries nothing but its opener while
 *     waiting for the peer's first frame on it, the sign that the peer adopted it (default 2 s); after
 *     that the writer goes on anyway, for a peer that does not answer openers. Also how long after
 *     settling the extra connections of a simultaneous dial are closed
 * @param heartbeatInterval a persistent stream on which nothing was written for this long carries an
 *     empty SyncBatch, so the peer can tell a quiet link from a dead one (default 5 s, SPEC section 5)
 * @param partitionTimeout a persistent stream from which nothing was read for this long while
 *     waiting for bytes is taken as partitioned: the channel drops it and reconnects (default 15 s,
 *     SPEC section 5); longer than {@code heartbeatInterval}
 */
public record SyncConfig(int sendQueueFrames, long sendQueueBytes, int maxPayloadBytes, int maxFallbackInFlight,
        int reconnectAttempts, Duration reconnectDelay, Duration reconnectMaxBackoff, Duration readTimeout,
        int coordinatorQueue, long maxPendingBytesPerPeer, Duration coalesceWindow, Duration departAfter,
        Duration settleTimeout, Duration heartbeatInterval, Duration partitionTimeout) {

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
        positive("departAfter", departAfter.toMillis());
        positive("settleTimeout", settleTimeout.toMillis());
        positive("heartbeatInterval", heartbeatInterval.toMillis());
        positive("partitionTimeout", partitionTimeout.toMillis());
        if (maxPendingBytesPerPeer < maxPayloadBytes + 65_542L) {
            throw new IllegalArgumentException("SyncConfig.maxPendingBytesPerPeer must hold one maximal frame (maxPayloadBytes "
                    + maxPayloadBytes + " + 65542 header bytes), got " + maxPendingBytesPerPeer);
        }
        if (partitionTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("SyncConfig.partitionTimeout (" + partitionTimeout.toMillis()
                    + " ms) must be longer than heartbeatInterval (" + heartbeatInterval.toMillis()
                    + " ms), or a quiet link is taken for a dead one; SPEC section 5 uses 15 s and 5 s");
        }
    }

    /** @return the defaults of SPEC section 5 */
    public static SyncConfig defaults() {
        return new SyncConfig(1024, 32L * 1024 * 1024, FrameCodec.DEFAULT_MAX_PAYLOAD, 64, 3, Duration.ofMillis(500),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 65536, 4L * FrameCodec.DEFAULT_MAX_PAYLOAD, Duration.ofMillis(500),
                Duration.ofMinutes(5), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    /**
     * @param frames frames per peer queue
     * @param bytes bytes per peer queue
     * @return a copy with those queue limits
     */
    public SyncConfig withSendQueue(int frames, long bytes) {
        return copy(c -> {
            c.sendQueueFrames = frames;
            c.sendQueueBytes = bytes;
        });
    }

    /**
     * @param max the payload cap in bytes
     * @return a copy with that cap (and the pending bound raised to hold one such frame if needed)
     */
    public SyncConfig withMaxPayloadBytes(int max) {
        return copy(c -> {
            c.maxPayloadBytes = max;
            c.maxPendingBytesPerPeer = Math.max(maxPendingBytesPerPeer, max + 65_542L);
        });
    }

    /**
     * @param bytes what one peer may hold pending across its streams
     * @return a copy with that bound
     */
    public SyncConfig withMaxPendingBytesPerPeer(long bytes) {
        return copy(c -> c.maxPendingBytesPerPeer = bytes);
    }

    /**
     * @param tasks local tasks the sync thread may have waiting
     * @return a copy with that bound
     */
    public SyncConfig withCoordinatorQueue(int tasks) {
        return copy(c -> c.coordinatorQueue = tasks);
    }

    /**
     * @param window how long a document sent to a peer may wait while the node is busy
     * @return a copy with that window
     */
    public SyncConfig withCoalesceWindow(Duration window) {
        return copy(c -> c.coalesceWindow = window);
    }

    /**
     * @param attempts quick attempts before backing off
     * @param delay the delay between quick attempts (and the base of the backoff)
     * @param maxBackoff the longest wait between later attempts
     * @return a copy with that reconnect schedule
     */
    public SyncConfig withReconnect(int attempts, Duration delay, Duration maxBackoff) {
        return copy(c -> {
            c.reconnectAttempts = attempts;
            c.reconnectDelay = delay;
            c.reconnectMaxBackoff = maxBackoff;
        });
    }

    /**
     * @param after how long a peer may stay unreachable before it is departed
     * @return a copy with that give-up time
     */
    public SyncConfig withDepartAfter(Duration after) {
        return copy(c -> c.departAfter = after);
    }

    /**
     * @param timeout how long an opened stream waits for the peer's first frame before writing anyway
     * @return a copy with that timeout
     */
    public SyncConfig withSettleTimeout(Duration timeout) {
        return copy(c -> c.settleTimeout = timeout);
    }

    /**
     * @param interval how often an idle persistent stream carries a heartbeat
     * @param partition how long a persistent stream may stay silent before it is taken as partitioned
     * @return a copy with those timings
     */
    public SyncConfig withHeartbeat(Duration interval, Duration partition) {
        return copy(c -> {
            c.heartbeatInterval = interval;
            c.partitionTimeout = partition;
        });
    }

    private SyncConfig copy(java.util.function.Consumer<Fields> edit) {
        Fields f = new Fields(this);
        edit.accept(f);
        return f.build();
    }

    /** The components as mutable fields, for the copy-with methods. */
    private static final class Fields {
        int sendQueueFrames;
        long sendQueueBytes;
        int maxPayloadBytes;
        int maxFallbackInFlight;
        int reconnectAttempts;
        Duration reconnectDelay;
        Duration reconnectMaxBackoff;
        Duration readTimeout;
        int coordinatorQueue;
        long maxPendingBytesPerPeer;
        Duration coalesceWindow;
        Duration departAfter;
        Duration settleTimeout;
        Duration heartbeatInterval;
        Duration partitionTimeout;

        Fields(SyncConfig c) {
            sendQueueFrames = c.sendQueueFrames;
            sendQueueBytes = c.sendQueueBytes;
            maxPayloadBytes = c.maxPayloadBytes;
            maxFallbackInFlight = c.maxFallbackInFlight;
            reconnectAttempts = c.reconnectAttempts;
            reconnectDelay = c.reconnectDelay;
            reconnectMaxBackoff = c.reconnectMaxBackoff;
            readTimeout = c.readTimeout;
            coordinatorQueue = c.coordinatorQueue;
            maxPendingBytesPerPeer = c.maxPendingBytesPerPeer;
            coalesceWindow = c.coalesceWindow;
            departAfter = c.departAfter;
            settleTimeout = c.settleTimeout;
            heartbeatInterval = c.heartbeatInterval;
            partitionTimeout = c.partitionTimeout;
        }

        SyncConfig build() {
            return new SyncConfig(sendQueueFrames, sendQueueBytes, maxPayloadBytes, maxFallbackInFlight, reconnectAttempts,
                    reconnectDelay, reconnectMaxBackoff, readTimeout, coordinatorQueue, maxPendingBytesPerPeer, coalesceWindow,
                    departAfter, settleTimeout, heartbeatInterval, partitionTimeout);
        }
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new IllegalArgumentException("SyncConfig." + name + " must be > 0, got " + v);
        }
    }
}
