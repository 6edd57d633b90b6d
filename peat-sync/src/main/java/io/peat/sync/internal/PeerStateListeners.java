package io.peat.sync.internal;

import io.peat.spi.PeerId;
import io.peat.sync.ListenerRegistration;
import io.peat.sync.PeerStateChange;
import io.peat.sync.PeerStateListener;
import java.util.concurrent.Executor;

/**
 * The application's {@link PeerStateListener}s: events merge per peer while a listener is behind.
 * Threads as {@link MergingListeners}.
 */
public final class PeerStateListeners extends MergingListeners<PeerId, PeerStateChange> {

    /** No listener yet. */
    public PeerStateListeners() {
        super(PeerStateChange::peer, PeerStateChange::mergedWith);
    }

    /**
     * @param listener the listener
     * @param executor where it is called
     * @return removes it
     */
    public ListenerRegistration add(PeerStateListener listener, Executor executor) {
        return add(listener == null ? null : listener::onPeerStateChange, executor, listener);
    }
}
