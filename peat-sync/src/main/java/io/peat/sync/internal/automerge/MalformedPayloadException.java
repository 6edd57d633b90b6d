package io.peat.sync.internal.automerge;

import io.peat.spi.ProtocolViolationException;

/**
 * A payload from the network is not a structurally sound Automerge sync message or saved document,
 * so it must not reach Automerge's native code (where a malformed input can panic and abort the
 * whole JVM). Thrown by {@link SyncMessageCheck} and {@link DocumentCheck} on the calling thread.
 *
 * <p>The message names what is wrong, the offending value and its byte offset in the payload; the
 * caller adds the peer and the document key. Unchecked, like every {@code PeatException}.
 */
public final class MalformedPayloadException extends ProtocolViolationException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    /**
     * @param problem what is wrong, naming the offending value
     * @param offset byte offset in the checked payload where the problem was found
     */
    public MalformedPayloadException(String problem, int offset) {
        super(problem + " (at offset " + offset + ")");
        this.offset = offset;
    }

    /** @return byte offset in the checked payload where the problem was found */
    public int offset() {
        return offset;
    }
}
