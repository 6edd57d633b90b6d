package io.peat.spi;

/**
 * The stream was reset (aborted) rather than finished: by the peer (a read sees this instead of a
 * clean end of stream) or locally (pending and later writes fail with it). Data in flight when a
 * stream is reset is discarded.
 */
public class StreamResetException extends TransportException {
    private static final long serialVersionUID = 1L;

    private final long errorCode;
    private final boolean byPeer;

    /**
     * @param peer the remote peer of the stream
     * @param streamId the stream's id on its connection
     * @param errorCode the application error code given to {@link ByteStream#reset(long)}
     * @param byPeer true when the peer reset the stream, false when it was reset locally
     */
    public StreamResetException(PeerId peer, long streamId, long errorCode, boolean byPeer) {
        super("stream " + streamId + " with " + peer + " was reset " + (byPeer ? "by the peer" : "locally")
                + " (error code " + errorCode + ")");
        this.errorCode = errorCode;
        this.byPeer = byPeer;
    }

    /** @return the application error code the stream was reset with */
    public long errorCode() {
        return errorCode;
    }

    /** @return true when the peer reset the stream */
    public boolean byPeer() {
        return byPeer;
    }
}
