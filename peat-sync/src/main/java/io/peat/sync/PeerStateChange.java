package io.peat.sync;

import io.peat.spi.PeerId;
import java.util.Objects;

/**
 * A peer's state changed. Delivered to a {@link PeerStateListener}; events a listener has not yet
 * taken merge per peer (the earliest {@code previous}, the latest {@code state}), so a slow
 * listener holds at most one event per peer and always ends on the peer's current state.
 *
 * @param peer the peer
 * @param previous the state before (for a peer first seen, {@link PeerState#DEPARTED}: it was not known)
 * @param state the state now
 * @param reason why, for people (the close reason, the failure, "no stream for 5 min")
 * @param atNanos {@link System#nanoTime()} when it changed
 */
public record PeerStateChange(PeerId peer, PeerState previous, PeerState state, String reason, long atNanos) {

    /** Checks the peer and states are given; a null reason becomes empty. */
    public PeerStateChange {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(state, "state");
        reason = reason == null ? "" : reason;
    }

    /**
     * @param later a later event of the same peer
     * @return one event from this one's previous state to the later one's state
     */
    public PeerStateChange mergedWith(PeerStateChange later) {
        return new PeerStateChange(peer, previous, later.state, later.reason, later.atNanos);
    }
}
