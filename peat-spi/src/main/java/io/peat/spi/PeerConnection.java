package io.peat.spi;

import java.util.concurrent.CompletionStage;

/**
 * A connection to one remote peer, whose identity the transport has verified. Carries any number
 * of {@link ByteStream}s, opened by either side; streams the peer opens are reported to the
 * endpoint's {@link TransportListener#onStream}.
 *
 * <p>Every method may be called from any thread and never blocks; stages complete on a transport
 * thread.
 */
public interface PeerConnection {

    /**
     * @return the verified id of the remote peer: the same on every connection between the same two
     *     endpoints, whichever side dialed and however often (kit clauses T2.2, T6.7). A transport
     *     without keys verifies what it can (the dialer checks the id it expected; the acceptor may
     *     take the dialer's stated id) and says so in its own documentation
     */
    PeerId remotePeerId();

    /** @return the remote peer's address as this side sees it */
    PeerAddress remoteAddress();

    /** @return true when this side dialed the connection */
    boolean isInitiator();

    /**
     * Opens a bidirectional stream. The peer learns of it when the first byte arrives.
     *
     * @return the new stream; exceptionally with {@link ConnectionClosedException} when the
     *     connection is closed
     */
    CompletionStage<ByteStream> openStream();

    /** @return true until the connection is closed, by either side or by a failure */
    boolean isOpen();

    /**
     * Closes the connection and every stream on it. Pending writes and reads fail promptly with
     * {@link ConnectionClosedException}. Idempotent.
     *
     * @param code the application close code ({@link CloseReason#NORMAL} for a normal close); codes 1
     *     to 2^31-1 reach the peer exactly, with a reason of 1 to 100 UTF-8 bytes (kit clause T2.7, where
     *     the transport delivers close reasons)
     * @param reason a short human-readable reason
     */
    void close(long code, String reason);

    /** @return completes once, with the reason, when the connection has closed; never exceptionally */
    CompletionStage<CloseReason> closeFuture();
}
