package io.peat.sync;

import io.peat.spi.PeerId;
import io.peat.spi.ProtocolViolationException;

/**
 * A peer sent a well-framed message whose payload was refused: it did not decode, failed the
 * structural check that guards Automerge's native code, or did not apply (SPEC 3.13). Only that
 * message (or batch entry) is skipped; the stream goes on, and nothing of it is kept. Counted in
 * {@code metrics().protocolErrors()} and reported by {@code SyncBackend.lastProtocolViolation(peer)};
 * the cause, if any, says what was wrong.
 */
public class PayloadRejectedException extends ProtocolViolationException {
    private static final long serialVersionUID = 1L;

    private final transient PeerId peer;
    private final String docKey;
    private final int typeCode;

    /**
     * @param peer the sender
     * @param docKey the frame's (or batch entry's) document key
     * @param typeCode its {@code msg_type}
     * @param where where in the stream it was, e.g. {@code "frame"} or {@code "entry 3 of batch 17"}
     * @param payloadBytes the payload's size
     * @param cause what was wrong with it
     */
    public PayloadRejectedException(PeerId peer, String docKey, int typeCode, String where, int payloadBytes, Throwable cause) {
        super("peer " + peer + " sent a " + where + " of type 0x" + Integer.toHexString(typeCode) + " for '" + docKey + "' ("
                + payloadBytes + " bytes) that was refused: " + cause.getMessage() + "; it is skipped and nothing of it kept,"
                + " the stream goes on");
        initCause(cause);
        this.peer = peer;
        this.docKey = docKey;
        this.typeCode = typeCode;
    }

    /** @return the sender */
    public PeerId peer() {
        return peer;
    }

    /** @return the document key of the refused message */
    public String docKey() {
        return docKey;
    }

    /** @return the {@code msg_type} of the refused message */
    public int typeCode() {
        return typeCode;
    }
}
