package io.peat.transport.kwik.tck;

import io.peat.tck.TransportFixture;
import io.peat.tck.runner.DiscoveredFixture;
import io.peat.tck.runner.TransportFixtureFactory;
import io.peat.transport.kwik.KwikTransportProvider;

/**
 * Ships {@link KwikFixture} to the kit's runner: with this module's test jar on the runner's
 * {@code --classpath}, {@code --transport kwik} runs with the same fixture as this module's
 * {@code TransportTck} subclass (an ephemeral key per node, so the transport names its own peer
 * ids; the kit's UDP relay for faults; the capabilities and idle timeout the fixture declares).
 * The runner's {@code --property} values reach every node's config; {@code --address},
 * {@code --network} and {@code --capability} are not used. Called on the JUnit test thread.
 */
public final class KwikFixtureFactory implements TransportFixtureFactory {

    /** For {@link java.util.ServiceLoader}. */
    public KwikFixtureFactory() {
        // stateless
    }

    @Override
    public String transportName() {
        return new KwikTransportProvider().name();
    }

    @Override
    public TransportFixture create(DiscoveredFixture.Settings settings) {
        return new KwikFixture(settings.properties());
    }
}
