package io.peat.spi;

/**
 * A peer sent bytes that break the protocol (for example a frame with a zero-length key or a
 * payload over the configured cap). The stream that carried them is reset; the node and its other
 * peers go on.
 */
public class ProtocolViolationException extends PeatException {
    private static final long serialVersionUID = 1L;

    /** @param message what was wrong, naming the peer and the offending value */
    public ProtocolViolationException(String message) {
        super(message);
    }
}
