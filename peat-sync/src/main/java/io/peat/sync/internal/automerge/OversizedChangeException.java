package io.peat.sync.internal.automerge;

import io.peat.spi.PeatException;

/**
 * One change (or a message's fixed fields) is larger than the peer's payload cap, even deflated, so
 * no sync message can carry it. The sender's bug or configuration, never the peer's: the sender
 * counts it and stops trying, rather than sending a frame the peer must refuse.
 */
public final class OversizedChangeException extends PeatException {
    private final long bytes;
    private final long cap;

    /**
     * @param message names the sizes and the fix
     * @param bytes the size that does not fit
     * @param cap the peer's cap
     */
    public OversizedChangeException(String message, long bytes, long cap) {
        super(message);
        this.bytes = bytes;
        this.cap = cap;
    }

    /** @return the size that does not fit */
    public long bytes() {
        return bytes;
    }

    /** @return the peer's cap */
    public long cap() {
        return cap;
    }
}
