package io.peat.tck.selftest.broken;

import io.peat.spi.PeerConnection;
import io.peat.spi.PeerId;

/**
 * Breaks T6.7 (every connection names the same peers however often they redial): an endpoint's
 * first connection to a peer names it rightly, later ones name {@value ReportsImpostorPeerId#IMPOSTOR},
 * as a transport that derives the id from something per connection does.
 */
final class ChangesPeerIdOnRedial extends ForwardingConnection {
    private final boolean later;

    ChangesPeerIdOnRedial(PeerConnection delegate, EndpointWrapper endpoint) {
        super(delegate, endpoint);
        this.later = endpoint.nthConnectionTo(delegate.remotePeerId()) > 1;
    }

    @Override
    public PeerId remotePeerId() {
        return later ? PeerId.of(ReportsImpostorPeerId.IMPOSTOR) : super.remotePeerId();
    }
}
