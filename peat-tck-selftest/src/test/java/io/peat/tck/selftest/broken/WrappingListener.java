package io.peat.tck.selftest.broken;

import io.peat.spi.ByteStream;
import io.peat.spi.PeerConnection;
import io.peat.spi.TransportListener;

/** Hands the kit's listener the wrapped form of each inbound connection and peer-opened stream. */
final class WrappingListener implements TransportListener {
    private final TransportListener listener;
    private final EndpointWrapper endpoint;

    WrappingListener(TransportListener listener, EndpointWrapper endpoint) {
        this.listener = listener;
        this.endpoint = endpoint;
    }

    @Override
    public void onConnection(PeerConnection connection) {
        listener.onConnection(endpoint.connection(connection));
    }

    @Override
    public void onStream(ByteStream stream) {
        listener.onStream(endpoint.stream(stream));
    }
}
