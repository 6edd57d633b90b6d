package io.peat.tck.selftest.broken;

import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;

/**
 * Breaks T2.9 (peer ids round-trip across their range): the accepting end names the dialer by the
 * first {@value #KEPT} characters of its id only, as a handshake with a fixed-size id field does.
 */
final class ClipsPeerId extends ForwardingConnection {
    static final int KEPT = 64;

    ClipsPeerId(PeerConnection delegate, EndpointWrapper endpoint) {
        super(delegate, endpoint);
    }

    @Override
    public PeerId remotePeerId() {
        PeerId id = super.remotePeerId();
        return isInitiator() || id.value().length() <= KEPT ? id : PeerId.of(id.value().substring(0, KEPT));
    }
}
