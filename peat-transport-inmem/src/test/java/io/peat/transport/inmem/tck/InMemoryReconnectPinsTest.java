package io.peat.transport.inmem.tck;

import io.peat.tck.AbstractReconnectPins;
import io.peat.tck.TransportFixture;

/** Runs the kit's Reconnect pins against the in-memory transport. */
class InMemoryReconnectPinsTest extends AbstractReconnectPins {
    private final InMemoryFixture fixture = new InMemoryFixture();

    @Override
    protected TransportFixture fixture() {
        return fixture;
    }
}
