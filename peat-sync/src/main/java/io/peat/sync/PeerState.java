package io.peat.sync;

/**
 * Where a peer stands with this node, as an application sees it (SPEC 3.11). Told of by
 * {@link PeerStateListener}; read with {@link SyncBackend#peerState}.
 *
 * <pre>CONNECTED -> RECONNECTING -> CONNECTED | DEPARTED
 * CONNECTED -> CLOSED_BY_PEER -> CONNECTED | DEPARTED</pre>
 */
public enum PeerState {
    /** The persistent stream to the peer is live. */
    CONNECTED,
    /**
     * The stream was lost (a fault, a partition, a silent peer): a few quick attempts, then
     * exponential backoff with jitter, until {@link SyncConfig#departAfter()} has passed.
     */
    RECONNECTING,
    /**
     * The peer closed its node on purpose: nothing is sent to it and it is not redialed at once; it
     * comes back by connecting, or through this node's slow dial schedule.
     */
    CLOSED_BY_PEER,
    /**
     * The peer was unreachable for {@link SyncConfig#departAfter()}: everything held for it was
     * released. If it connects again it starts fresh, as a new peer.
     */
    DEPARTED
}
