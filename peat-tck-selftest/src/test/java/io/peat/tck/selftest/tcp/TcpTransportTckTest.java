package io.peat.tck.selftest.tcp;

import io.peat.tck.TransportFixture;
import io.peat.tck.TransportTck;

/** Every clause of the kit against the plain-TCP transport, with the kit's TCP relay as its fault injector. */
class TcpTransportTckTest extends TransportTck {
    private final TcpFixture fixture = new TcpFixture();

    @Override
    public TransportFixture fixture() {
        return fixture;
    }
}
