package io.peat.transport.inmem.tck;

import io.peat.tck.TransportFixture;
import io.peat.tck.runner.DiscoveredFixture;
import io.peat.tck.runner.TransportFixtureFactory;
import io.peat.transport.inmem.InMemoryTransportProvider;

/**
 * Ships {@link InMemoryFixture} to the kit's runner: with this module's test jar on the runner's
 * {@code --classpath}, {@code --transport inmem} runs against a fresh private network per test,
 * faults through {@link io.peat.transport.inmem.InMemoryNetwork}, both capabilities, and the 1 s
 * idle timeout the fixture configures. The runner's provider is used, so a wrapped or relocated
 * in-memory transport is what is tested. Called on the JUnit test thread.
 */
public final class InMemoryFixtureFactory implements TransportFixtureFactory {

    /** For {@link java.util.ServiceLoader}. */
    public InMemoryFixtureFactory() {
        // stateless
    }

    @Override
    public String transportName() {
        return InMemoryTransportProvider.NAME;
    }

    @Override
    public TransportFixture create(DiscoveredFixture.Settings settings) {
        return new InMemoryFixture("the in-memory transport (its own kit fixture)", settings::provider);
    }
}
