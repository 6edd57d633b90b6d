package io.peat.tck.selftest.runner;

import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import io.peat.transport.inmem.InMemoryTransportProvider;

/**
 * The in-memory transport under another name, so that the runner treats it as an unknown
 * transport: no {@code FaultInjector}, addresses from {@code --address}. Registered only through a
 * services file the test writes into a {@code --classpath} directory.
 */
public final class NoFaultsInMemoryProvider implements SyncTransportProvider {
    /** The name the runner is given. */
    public static final String NAME = "inmem-nofaults";

    private final InMemoryTransportProvider delegate = new InMemoryTransportProvider();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public SyncTransport create(TransportConfig config, TransportListener listener) {
        return delegate.create(config, listener);
    }
}
