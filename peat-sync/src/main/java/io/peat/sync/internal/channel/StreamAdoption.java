package io.peat.sync.internal.channel;

import io.peat.sync.ChannelState;

/**
 * SPEC 3.1's rule for which stream is a peer's persistent stream, as one pure function. Both ends
 * apply it to the same facts and so agree: when both sides opened a stream, the stream opened by
 * the lower peer id wins.
 *
 * <p>Stateless; called by {@link SyncChannel} under its own lock.
 */
final class StreamAdoption {
    private StreamAdoption() {
    }

    /**
     * What the rule looks at.
     *
     * @param state the channel's state
     * @param hasCurrent whether the channel has a current stream
     * @param currentConnectionOpen whether the current stream's connection is still open
     * @param currentIsOutbound whether this side opened the current stream
     * @param sameConnection whether the new stream is on the current stream's connection
     */
    record Facts(ChannelState state, boolean hasCurrent, boolean currentConnectionOpen, boolean currentIsOutbound,
            boolean sameConnection) {
    }

    /**
     * @param outbound true for a stream this side opened, false for one the peer opened
     * @param facts the channel as it is now
     * @param peerIsLower whether the peer's id sorts below this node's
     * @return true when the new stream becomes the channel's; otherwise an inbound stream is served
     *     as a secondary stream (read to its end, never written) and an outbound one is left unused
     */
    static boolean adopt(boolean outbound, Facts facts, boolean peerIsLower) {
        switch (facts.state()) {
            case CONNECTING:
            case RECONNECTING:
            case CLOSED_BY_PEER:
                return true;
            case CLOSED:
                return false;
            case CONNECTED:
            default:
                break;
        }
        if (outbound) {
            // The peer's stream was adopted meanwhile: the lower id's stream wins.
            return !facts.currentIsOutbound() && !peerIsLower;
        }
        if (!facts.hasCurrent() || !facts.currentConnectionOpen()) {
            return true;
        }
        if (facts.currentIsOutbound()) {
            // Both sides opened a stream (on one connection, or each on its own dial).
            return peerIsLower;
        }
        // The peer's live stream is current: a new one on a newer connection means the peer came back;
        // on the same connection it is a one-shot or extra stream.
        return !facts.sameConnection();
    }
}
