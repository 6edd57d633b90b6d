package io.peat.sync;

/**
 * Life cycle of a {@link SyncChannel} (SPEC section 3.5).
 *
 * <pre>CONNECTING -> CONNECTED -> RECONNECTING -> CONNECTED | CLOSED</pre>
 */
public enum ChannelState {
    /** The first stream is being opened; sends are queued and go out once it is open. */
    CONNECTING,
    /** A persistent stream is live; sends are queued and one writer drains them onto it. */
    CONNECTED,
    /** The stream failed; sends take the per-message path until a new stream is attached. */
    RECONNECTING,
    /** Closed for good; sends fail. */
    CLOSED
}
