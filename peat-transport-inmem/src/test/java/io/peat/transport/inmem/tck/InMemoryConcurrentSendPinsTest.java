package io.peat.transport.inmem.tck;

import io.peat.tck.AbstractConcurrentSendPins;
import io.peat.tck.TransportFixture;

/** Runs the kit's ConcurrentSend pins against the in-memory transport. */
class InMemoryConcurrentSendPinsTest extends AbstractConcurrentSendPins {
    private final InMemoryFixture fixture = new InMemoryFixture();

    @Override
    protected TransportFixture fixture() {
        return fixture;
    }
}
