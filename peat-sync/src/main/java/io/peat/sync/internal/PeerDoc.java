package io.peat.sync.internal;

import org.automerge.SyncState;

/**
 * What a node keeps for one (peer, document) pair: Automerge's sync state and when a message was
 * last sent. Owned by the sync thread; the owner frees the state.
 */
final class PeerDoc {
    final SyncState state;
    /** {@link System#nanoTime()} of the last message sent, or 0 when none was. */
    long lastSentNanos;
    /** The next message is a first contact ({@link FirstContact}). */
    boolean firstContact;

    PeerDoc(SyncState state) {
        this.state = state;
    }

    void free() {
        state.free();
    }
}
