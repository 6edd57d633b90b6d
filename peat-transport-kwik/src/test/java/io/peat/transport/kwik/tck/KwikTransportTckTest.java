package io.peat.transport.kwik.tck;

import io.peat.tck.TransportFixture;
import io.peat.tck.TransportTck;

/** Every clause of peat-tck/CONTRACT.md against the Kwik transport. */
class KwikTransportTckTest extends TransportTck {
    private final KwikFixture fixture = new KwikFixture();

    @Override
    public TransportFixture fixture() {
        return fixture;
    }
}
