package io.peat.sync.internal;

import io.peat.spi.PeerId;
import io.peat.sync.wire.Frame;
import io.peat.sync.wire.MessageType;
import java.util.HashMap;
import java.util.Map;

/**
 * Tells which sync messages read from a peer's persistent streams are stale: made by the peer for
 * sync states this side has since reset. When a channel's stream is replaced after sync messages
 * crossed on it, both sides reset their sync states for each other (each moves off the old stream,
 * as lost or replaced). What the peer wrote on the old stream and this side reads after its reset
 * answers states that no longer exist; taken as the answer to the fresh ones, it leaves both sides
 * waiting for each other (seen: a simultaneous dial in which one side's 20 documents never arrived).
 * The peer remakes those messages from its own reset states, so dropping them loses nothing.
 *
 * <p>Only DeltaSync and SyncFragment are sync messages; other frames (snapshots, tombstones,
 * batches sent by the application) stand alone and are always handled.
 *
 * <p>Owned by the sync thread: every method is called on it.
 */
final class StaleSyncMessages {
    /** Per peer, the generation of the stream at whose attachment its sync states were last reset. */
    private final Map<PeerId, Long> resetAt = new HashMap<>();

    /**
     * The peer's sync states were reset when its stream of {@code generation} was attached.
     *
     * @param peer the peer
     * @param generation the attached stream's generation
     */
    void reset(PeerId peer, long generation) {
        resetAt.merge(peer, generation, Math::max);
    }

    /**
     * @param peer the sender
     * @param generation the generation of the persistent stream the frame was read from
     * @param frame the frame
     * @return true when it is a sync message from a stream older than the last reset
     */
    boolean isStale(PeerId peer, long generation, Frame frame) {
        MessageType t = frame.type().orElse(null);
        if (t != MessageType.DELTA_SYNC && t != MessageType.SYNC_FRAGMENT) {
            return false;
        }
        Long reset = resetAt.get(peer);
        return reset != null && generation < reset;
    }

    /**
     * The peer departed or closed its node: its channel starts again from the first generation.
     *
     * @param peer the peer
     */
    void forget(PeerId peer) {
        resetAt.remove(peer);
    }

    /** @return peers with an entry (for the state-size pin) */
    int peerEntries() {
        return resetAt.size();
    }
}
