package io.peat.spi;

/**
 * Receives what a {@link SyncTransport} endpoint learns from the network. Given once, when the
 * transport is created, so that nothing can arrive before a listener is in place.
 *
 * <p>Called on a transport thread, one call at a time per connection. Implementations must not
 * block; an exception thrown here is caught and logged by the transport, and closes no more than
 * the stream or connection it was about.
 */
public interface TransportListener {

    /**
     * A peer dialed this endpoint and the connection is established and verified.
     *
     * @param connection the new inbound connection
     */
    void onConnection(PeerConnection connection);

    /**
     * The peer opened a stream on a connection (inbound or outbound), and its first byte arrived.
     *
     * @param stream the new stream; {@link ByteStream#connection()} names the peer
     */
    void onStream(ByteStream stream);
}
