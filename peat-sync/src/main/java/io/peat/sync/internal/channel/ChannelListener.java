package io.peat.sync.internal.channel;

import io.peat.spi.PeerId;

/**
 * What the channel manager tells its owner (the coordinator). Called on transport or scheduler
 * threads; implementations hand off and return at once.
 */
public interface ChannelListener {
    /**
     * A persistent stream was attached to a peer's channel.
     *
     * @param peer the peer
     * @param replacesStream true when it replaces an earlier stream of the channel: one that
     *     failed, or one this side still believed alive when the peer redialed (its connection may
     *     have died silently, taking what was written on it). The peer's sync state must then be
     *     reset, or changes written to the old stream count as sent and are never sent again.
     *     False for the channel's first stream.
     */
    void onChannelConnected(PeerId peer, boolean replacesStream);

    /**
     * The peer's send queue has room again after being full.
     *
     * @param peer the peer
     */
    void onWritable(PeerId peer);
}
