package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.CloseReason;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;
import java.util.concurrent.CompletionStage;

/**
 * A connection that passes every call to the in-memory connection it wraps; the streams it opens
 * come back wrapped by the endpoint's {@link EndpointWrapper}. Breakages that misbehave on a
 * connection extend it and override what they break. Any thread, as the connection it wraps.
 */
class ForwardingConnection implements PeerConnection {
    private final PeerConnection delegate;
    private final EndpointWrapper endpoint;

    ForwardingConnection(PeerConnection delegate, EndpointWrapper endpoint) {
        this.delegate = delegate;
        this.endpoint = endpoint;
    }

    @Override
    public PeerId remotePeerId() {
        return delegate.remotePeerId();
    }

    @Override
    public PeerAddress remoteAddress() {
        return delegate.remoteAddress();
    }

    @Override
    public boolean isInitiator() {
        return delegate.isInitiator();
    }

    @Override
    public CompletionStage<ByteStream> openStream() {
        return delegate.openStream().thenApply(endpoint::stream);
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void close(long code, String reason) {
        delegate.close(code, reason);
    }

    @Override
    public CompletionStage<CloseReason> closeFuture() {
        return delegate.closeFuture();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
