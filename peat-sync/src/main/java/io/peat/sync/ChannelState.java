package io.peat.sync;

/**
 * Life cycle of a {@link PeerChannel} (SPEC sections 3.5 and 3.11).
 *
 * <pre>CONNECTING -> CONNECTED -> RECONNECTING -> CONNECTED | CLOSED_BY_PEER | CLOSED
 * CONNECTED -> CLOSED_BY_PEER -> CONNECTED | CLOSED</pre>
 */
public enum ChannelState {
    /** The first stream is being opened; sends are queued and go out once it is open. */
    CONNECTING,
    /** A persistent stream is live; sends are queued and one writer drains them onto it. */
    CONNECTED,
    /** The stream failed; sends take the per-message path until a new stream is attached. */
    RECONNECTING,
    /**
     * The peer closed its node on purpose (close code {@link io.peat.spi.CloseReason#GOING_AWAY}):
     * nothing is sent and the peer is not redialed at once; a stream from the peer, or this side's
     * slow dial schedule, brings the channel back.
     */
    CLOSED_BY_PEER,
    /** Closed for good (this node closed, or the peer departed); sends fail. */
    CLOSED
}
