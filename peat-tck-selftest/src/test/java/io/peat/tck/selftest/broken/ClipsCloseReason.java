package io.peat.tck.selftest.broken;

import io.peat.spi.PeerConnection;

/**
 * Breaks T2.7 (close reasons reach the peer exactly): a reason is cut to its first 32 characters, as
 * a transport with a small fixed reason buffer does. T2.5's short reason still gets through.
 */
final class ClipsCloseReason extends ForwardingConnection {
    static final int KEPT = 32;

    ClipsCloseReason(PeerConnection delegate, EndpointWrapper endpoint) {
        super(delegate, endpoint);
    }

    @Override
    public void close(long code, String reason) {
        super.close(code, reason != null && reason.length() > KEPT ? reason.substring(0, KEPT) : reason);
    }
}
