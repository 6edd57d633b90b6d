package io.peat.transport.inmem.tck;

import io.peat.tck.AbstractPersistentPathPins;
import io.peat.tck.TransportFixture;

/** Runs the kit's PersistentPath pins against the in-memory transport. */
class InMemoryPersistentPathPinsTest extends AbstractPersistentPathPins {
    private final InMemoryFixture fixture = new InMemoryFixture();

    @Override
    protected TransportFixture fixture() {
        return fixture;
    }
}
