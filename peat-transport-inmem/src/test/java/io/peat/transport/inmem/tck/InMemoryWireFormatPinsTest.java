package io.peat.transport.inmem.tck;

import io.peat.tck.AbstractWireFormatPins;
import io.peat.tck.TransportFixture;

/** Runs the kit's WireFormat pins against the in-memory transport. */
class InMemoryWireFormatPinsTest extends AbstractWireFormatPins {
    private final InMemoryFixture fixture = new InMemoryFixture();

    @Override
    protected TransportFixture fixture() {
        return fixture;
    }
}
