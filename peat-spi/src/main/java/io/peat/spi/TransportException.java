package io.peat.spi;

/**
 * A transport-level failure: an address that cannot be reached, a connection or stream that failed.
 * Transports complete their futures exceptionally with this type (or a subclass).
 */
public class TransportException extends PeatException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and where (peer, address) */
    public TransportException(String message) {
        super(message);
    }

    /**
     * @param message what failed and where (peer, address)
     * @param cause the underlying failure
     */
    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
