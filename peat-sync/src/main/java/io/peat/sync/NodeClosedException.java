package io.peat.sync;

import io.peat.spi.PeatException;

/**
 * The sync node was closed before the operation could run. Calls made after
 * {@code SyncBackend.close()} complete exceptionally with it; nothing was applied.
 */
public class NodeClosedException extends PeatException {
    private static final long serialVersionUID = 1L;

    /** @param message which node, and what was refused */
    public NodeClosedException(String message) {
        super(message);
    }
}
