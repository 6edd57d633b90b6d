package io.peat.tck.selftest.broken;

import io.peat.spi.SyncTransport;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.spi.TransportListener;
import java.util.Locale;
import java.util.Objects;

/**
 * A transport provider that wraps another one (the in-memory transport, in the self-test) and breaks
 * it in one deliberate way, its {@link Breakage}: every endpoint it creates, and every connection
 * and stream of those endpoints (dialed, accepted, opened or peer-opened), misbehaves as the breakage
 * says. Not registered with {@link java.util.ServiceLoader}: the self-test hands it to the kit
 * directly. Stateless and thread-safe.
 */
public final class BrokenTransportProvider implements SyncTransportProvider {
    private final SyncTransportProvider delegate;
    private final Breakage breakage;

    /**
     * @param delegate the working transport to break
     * @param breakage how to break it
     */
    public BrokenTransportProvider(SyncTransportProvider delegate, Breakage breakage) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.breakage = Objects.requireNonNull(breakage, "breakage");
    }

    /** @return the wrapped provider's name with the breakage, e.g. {@code inmem-broken-swallow-close} */
    @Override
    public String name() {
        return delegate.name() + "-broken-" + breakage.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    @Override
    public boolean isAvailable() {
        return delegate.isAvailable();
    }

    @Override
    public SyncTransport create(TransportConfig config, TransportListener listener) {
        Objects.requireNonNull(listener, "listener");
        EndpointWrapper endpoint = new EndpointWrapper(breakage);
        return new BrokenTransport(delegate.create(config, new WrappingListener(listener, endpoint)), endpoint, name());
    }

    @Override
    public String toString() {
        return name();
    }
}
