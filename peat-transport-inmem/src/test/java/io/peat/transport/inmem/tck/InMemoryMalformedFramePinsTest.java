package io.peat.transport.inmem.tck;

import io.peat.tck.AbstractMalformedFramePins;
import io.peat.tck.TransportFixture;

/** Runs the kit's MalformedFrame pins against the in-memory transport. */
class InMemoryMalformedFramePinsTest extends AbstractMalformedFramePins {
    private final InMemoryFixture fixture = new InMemoryFixture();

    @Override
    protected TransportFixture fixture() {
        return fixture;
    }
}
