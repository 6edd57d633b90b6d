package io.peat.sync;

import io.peat.spi.PeerId;
import java.util.Objects;

/**
 * A peer's changes were applied to a document held here: what a {@link RemoteChangeListener} is
 * told.
 *
 * <p>Raised on the node's sync thread at the moment the document's heads moved because of a frame
 * from {@code from} (a DeltaSync message that carried changes this node lacked, or a StateSnapshot
 * that merged something new). A message that changed nothing (heads, needs, acknowledgements) raises
 * nothing.
 *
 * @param key the document
 * @param from the peer whose frame carried the changes
 * @param created true when the document did not exist here before these changes
 * @param appliedNanos {@link System#nanoTime()} on the sync thread when they were applied (compare
 *     with another {@code nanoTime} of this JVM only)
 * @param merged how many applications this event stands for: 1, or more when the listener had not yet
 *     been handed the earlier ones (see {@link RemoteChangeListener})
 */
public record RemoteChange(DocKey key, PeerId from, boolean created, long appliedNanos, int merged) {

    /**
     * @throws NullPointerException when {@code key} or {@code from} is null
     * @throws IllegalArgumentException when {@code merged} is below 1
     */
    public RemoteChange {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(from, "from");
        if (merged < 1) {
            throw new IllegalArgumentException("merged must be at least 1, was " + merged);
        }
    }

    /**
     * @param later an event for the same document raised after this one
     * @return one event standing for both: the first time, the later peer, created if either was
     */
    public RemoteChange mergedWith(RemoteChange later) {
        if (!key.equals(later.key)) {
            throw new IllegalArgumentException("cannot merge changes to " + key + " and " + later.key);
        }
        return new RemoteChange(key, later.from, created || later.created, appliedNanos, merged + later.merged);
    }
}
