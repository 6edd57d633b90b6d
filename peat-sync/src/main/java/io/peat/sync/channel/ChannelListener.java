package io.peat.sync.channel;

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
     * @param afterFailure true when it replaces a stream that failed (the peer's sync state must
     *     be reset), false for the first stream or a tie-break switch that lost nothing
     */
    void onChannelConnected(PeerId peer, boolean afterFailure);

    /**
     * The peer's send queue has room again after being full.
     *
     * @param peer the peer
     */
    void onWritable(PeerId peer);
}
