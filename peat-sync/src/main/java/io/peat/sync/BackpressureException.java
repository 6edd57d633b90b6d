package io.peat.sync;

import io.peat.spi.PeatException;
import io.peat.spi.PeerId;

/**
 * A send was refused because a bounded queue toward a peer is full. Nothing was queued; the caller
 * keeps the frame and may retry once {@code SyncChannel.whenWritable()} completes.
 */
public class BackpressureException extends PeatException {
    private static final long serialVersionUID = 1L;

    /**
     * @param peer the peer the send was for
     * @param what which bound was hit, with its current value and limit
     */
    public BackpressureException(PeerId peer, String what) {
        super("send to " + peer + " refused: " + what + "; wait for the channel to become writable (whenWritable()) and retry,"
                + " or raise the limit in SyncConfig");
    }
}
