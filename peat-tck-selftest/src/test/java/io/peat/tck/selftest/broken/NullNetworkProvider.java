package io.peat.tck.selftest.broken;

import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import io.peat.spi.TransportNetwork;
import io.peat.transport.inmem.InMemoryTransportProvider;

/**
 * Breaks T1.4 ({@code network()} is never null): the in-memory transport, whose provider says
 * {@code null} when asked for its network. A provider of its own (not a {@link Breakage}) because
 * T1.4 makes a fresh instance with the public no-argument constructor. Stateless.
 */
public final class NullNetworkProvider implements SyncTransportProvider {
    private final InMemoryTransportProvider delegate = new InMemoryTransportProvider();

    /** For the kit's fresh instance. */
    public NullNetworkProvider() {
        // stateless
    }

    @Override
    public String name() {
        return "inmem-broken-null-network";
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    @Override
    public boolean isAvailable() {
        return delegate.isAvailable();
    }

    /** @return null, which T1.4 refuses */
    @Override
    public TransportNetwork network() {
        return null;
    }

    @Override
    public SyncTransport create(TransportConfig config, TransportListener listener) {
        return delegate.create(config, listener);
    }
}
