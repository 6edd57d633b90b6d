package io.peat.sync;

/**
 * Told when a peer's {@link PeerState} changes: connected, reconnecting, closed by the peer,
 * departed. Registered with {@link SyncBackend#addPeerStateListener}.
 *
 * <p>Called on the executor given at registration, one call at a time and in the order the changes
 * happened; a listener that falls behind gets merged events (see {@link PeerStateChange}). An
 * exception thrown here is logged and the listener keeps being called.
 */
@FunctionalInterface
public interface PeerStateListener {

    /**
     * @param change what changed
     */
    void onPeerStateChange(PeerStateChange change);
}
