package io.peat.tck.selftest.broken;

import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import io.peat.transport.inmem.InMemoryTransportProvider;

/**
 * The in-memory transport under another name: the self-test's providers that the kit must treat as
 * a transport of their own (to break one provider-level promise, or to look unknown to the runner).
 * Endpoints are the in-memory transport's, unchanged. Stateless.
 */
public abstract class RenamedInMemoryProvider implements SyncTransportProvider {
    private final InMemoryTransportProvider delegate = new InMemoryTransportProvider();
    private final String name;
    private final int priority;

    /**
     * @param name the name this provider goes by
     * @param priority its priority
     */
    protected RenamedInMemoryProvider(String name, int priority) {
        this.name = name;
        this.priority = priority;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int priority() {
        return priority;
    }

    @Override
    public final boolean isAvailable() {
        return true;
    }

    @Override
    public final SyncTransport create(TransportConfig config, TransportListener listener) {
        return delegate.create(config, listener);
    }
}
