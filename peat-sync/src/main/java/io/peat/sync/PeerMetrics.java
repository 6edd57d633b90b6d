package io.peat.sync;

import io.peat.sync.ChannelState;
import io.peat.sync.wire.MessageType;
import java.util.Map;

/**
 * A snapshot of one peer's counters (SPEC section 3.9). Immutable.
 *
 * @param bytesSent bytes written to streams (counted when written, not when queued)
 * @param bytesReceived bytes read from streams
 * @param framesSent frames written, per known type
 * @param framesReceived frames read, per known type
 * @param queueDepth frames waiting in the send queue now
 * @param reconnects times the persistent stream failed
 * @param fallbackSends frames sent over the per-message path
 * @param unknownFrames frames of unknown or reserved type skipped
 * @param protocolErrors protocol errors: streams reset for bad framing, and payloads refused
 * @param channelState the channel's state, or null when there is no channel
 * @param pendingBytes bytes read from the peer and not yet applied, across its streams (bounded by
 *     {@code SyncConfig.maxPendingBytesPerPeer})
 * @param oversizedChanges sync messages this node did not send because one change in them is larger
 *     than the peer's payload cap even deflated (the sender's problem: the document stays unsynced
 *     with this peer until the cap is raised; it is counted and logged, never retried in a loop)
 */
public record PeerMetrics(long bytesSent, long bytesReceived, Map<MessageType, Long> framesSent,
        Map<MessageType, Long> framesReceived, int queueDepth, long reconnects, long fallbackSends, long unknownFrames,
        long protocolErrors, ChannelState channelState, long pendingBytes, long oversizedChanges) {

    /** All zeros, no channel. */
    public static final PeerMetrics NONE = new PeerMetrics(0, 0, Map.of(), Map.of(), 0, 0, 0, 0, 0, null, 0, 0);

    /** Copies the maps. */
    public PeerMetrics {
        framesSent = Map.copyOf(framesSent);
        framesReceived = Map.copyOf(framesReceived);
    }

    /**
     * @param type a message type
     * @return frames of that type sent
     */
    public long sent(MessageType type) {
        return framesSent.getOrDefault(type, 0L);
    }

    /**
     * @param type a message type
     * @return frames of that type received
     */
    public long received(MessageType type) {
        return framesReceived.getOrDefault(type, 0L);
    }
}
