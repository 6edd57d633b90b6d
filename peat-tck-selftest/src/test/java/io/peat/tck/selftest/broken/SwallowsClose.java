package io.peat.tck.selftest.broken;

import io.peat.spi.PeerConnection;

/**
 * Breaks T4.2 (closing a connection fails pending and later writes and reads): {@code close(code,
 * reason)} does nothing, so the connection stays open on both ends and pending reads wait on.
 * Closing the whole endpoint still works, so the kit can clean up.
 */
final class SwallowsClose extends ForwardingConnection {

    SwallowsClose(PeerConnection delegate, EndpointWrapper endpoint) {
        super(delegate, endpoint);
    }

    @Override
    public void close(long code, String reason) {
        // the deliberate bug: nothing is closed
    }
}
