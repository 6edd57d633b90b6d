package io.peat.transport.inmem.tck;

import io.peat.tck.TransportFixture;
import io.peat.tck.TransportTck;

/** Runs the whole conformance kit against the in-memory transport. */
class InMemoryTransportTckTest extends TransportTck {
    private final InMemoryFixture fixture = new InMemoryFixture();

    @Override
    public TransportFixture fixture() {
        return fixture;
    }
}
