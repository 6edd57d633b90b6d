package io.peat.transport.inmem.tck;

import io.peat.tck.AbstractDispatchPins;
import io.peat.tck.TransportFixture;

/** Runs the kit's Dispatch pins against the in-memory transport. */
class InMemoryDispatchPinsTest extends AbstractDispatchPins {
    private final InMemoryFixture fixture = new InMemoryFixture();

    @Override
    protected TransportFixture fixture() {
        return fixture;
    }
}
