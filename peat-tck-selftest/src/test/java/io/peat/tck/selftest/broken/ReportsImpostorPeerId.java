package io.peat.tck.selftest.broken;

import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;

/**
 * Breaks T2.2 (both ends see the verified peer id of the other): {@code remotePeerId()} reports
 * {@value #IMPOSTOR} instead of the peer the transport verified.
 */
final class ReportsImpostorPeerId extends ForwardingConnection {
    /** The peer id every connection of this breakage reports. */
    static final String IMPOSTOR = "impostor";

    ReportsImpostorPeerId(PeerConnection delegate, EndpointWrapper endpoint) {
        super(delegate, endpoint);
    }

    @Override
    public PeerId remotePeerId() {
        return PeerId.of(IMPOSTOR);
    }
}
