package io.peat.transport.inmem;

import io.peat.spi.ConfigException;
import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import java.util.Objects;

/**
 * The {@code inmem} transport: endpoints in the same JVM joined by an {@link InMemoryNetwork}.
 * Priority 1, always available. Stateless and thread-safe; the constructor does no I/O.
 *
 * <p>Properties: {@code inmem.network} names the network to join (default {@code default});
 * {@code inmem.streamWindowBytes} is the flow-control window of each stream direction (default
 * 1 MiB). The local peer id is {@link TransportConfig#localPeerId()} or {@code inmem-<random UUID>}.
 * Addresses are plain names, bound per network.
 */
public final class InMemoryTransportProvider implements SyncTransportProvider {

    /** The name this transport is selected by. */
    public static final String NAME = "inmem";

    /** Creates the provider; does nothing else. Any thread. */
    public InMemoryTransportProvider() {
    }

    /** @return {@value #NAME}; never throws. Any thread. */
    @Override
    public String name() {
        return NAME;
    }

    /** @return 1, below every network transport; never throws. Any thread. */
    /** @return {@link io.peat.spi.TransportNetwork#IN_PROCESS} */
    @Override
    public io.peat.spi.TransportNetwork network() {
        return io.peat.spi.TransportNetwork.IN_PROCESS;
    }

    @Override
    public int priority() {
        return 1;
    }

    /** @return true: the transport needs nothing but the JDK; never throws. Any thread. */
    @Override
    public boolean isAvailable() {
        return true;
    }

    /**
     * Creates an endpoint on the configured network. It starts no thread until it has work and
     * does not listen until {@link SyncTransport#listen} is called. Any thread.
     *
     * @throws ConfigException when {@code inmem.network} is blank or {@code inmem.streamWindowBytes}
     *     is not a positive integer
     * @throws NullPointerException when an argument is null
     */
    @Override
    public SyncTransport create(TransportConfig config, TransportListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        InMemoryConfig c = InMemoryConfig.from(config);
        return new InMemoryTransport(InMemoryNetwork.named(c.networkName()), c, listener);
    }
}
