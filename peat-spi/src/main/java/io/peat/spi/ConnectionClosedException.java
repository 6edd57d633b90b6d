package io.peat.spi;

/**
 * The connection a pending or new operation needed is closed, locally or by the peer. Completes
 * writes, reads and stream opens that were pending when the connection closed, and every later
 * one.
 */
public class ConnectionClosedException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final transient CloseReason reason;

    /**
     * @param peer the remote peer of the closed connection
     * @param reason why it closed
     */
    public ConnectionClosedException(PeerId peer, CloseReason reason) {
        super("connection to " + peer + " is closed: " + reason);
        this.reason = reason;
    }

    /** @return why the connection closed */
    public CloseReason reason() {
        return reason;
    }
}
