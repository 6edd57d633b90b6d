package io.peat.tck.selftest.broken;

import io.peat.spi.TransportNetwork;

/**
 * Breaks T1.4 ({@code network()} is never null): the in-memory transport, whose provider says
 * {@code null} when asked for its network. A provider of its own (not a {@link Breakage}) because
 * T1.4 makes a fresh instance with the public no-argument constructor. Stateless.
 */
public final class NullNetworkProvider extends RenamedInMemoryProvider {

    /** For the kit's fresh instance. */
    public NullNetworkProvider() {
        super("inmem-broken-null-network", 1);
    }

    /** @return null, which T1.4 refuses */
    @Override
    public TransportNetwork network() {
        return null;
    }
}
