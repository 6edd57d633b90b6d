package io.peat.sync.internal.channel;

import io.peat.spi.PeerId;
import io.peat.sync.ChannelState;

/**
 * What the channel manager tells its owner (the coordinator). Called on transport or scheduler
 * threads; implementations hand off and return at once.
 */
public interface ChannelListener {
    /**
     * A persistent stream was attached to a peer's channel.
     *
     * @param peer the peer
     * @param replacesStream true when it replaces an earlier stream of the channel that carried sync
     *     messages: one that failed, or one this side still believed alive when the peer redialed (its
     *     connection may have died silently, taking what was written on it). The peer's sync state
     *     must then be reset, or changes written to the old stream count as sent and are never sent
     *     again. False for the channel's first stream.
     * @param generation the generation of the attached stream: frames read from older generations
     *     after a reset are stale ({@link FrameSink#onPersistentFrames})
     */
    void onChannelConnected(PeerId peer, boolean replacesStream, long generation);

    /**
     * The peer's send queue has room again for the frame that was refused.
     *
     * @param peer the peer
     */
    void onWritable(PeerId peer);

    /**
     * A peer's channel changed state. Calls for one peer may arrive out of order from different
     * threads; {@code generation} orders them (a call with a lower generation than one already
     * handled is stale).
     *
     * @param peer the peer
     * @param from the state before
     * @param to the state now
     * @param generation the channel's generation after the change
     * @param reason why, for people
     */
    void onChannelState(PeerId peer, ChannelState from, ChannelState to, long generation, String reason);

    /**
     * The peer departed (SPEC 3.11): its channel is gone; release everything held for it.
     *
     * @param peer the peer
     * @param reason why, for people
     */
    void onPeerDeparted(PeerId peer, String reason);
}
