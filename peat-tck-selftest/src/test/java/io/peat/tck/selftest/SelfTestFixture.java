package io.peat.tck.selftest;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.Capability;
import io.peat.tck.FaultInjector;
import io.peat.tck.TransportFixture;
import io.peat.tck.selftest.broken.Breakage;
import io.peat.tck.selftest.broken.BrokenTransportProvider;
import io.peat.transport.inmem.InMemoryNetwork;
import io.peat.transport.inmem.InMemoryTransportProvider;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The transport the self-test hands the kit: the in-memory transport on a fresh, private network
 * (as the in-memory transport's own TCK fixture does), either as it is or broken by a
 * {@link Breakage}.
 */
final class SelfTestFixture implements TransportFixture {
    private final String description;
    private final Supplier<SyncTransportProvider> provider;
    private final String network;

    private SelfTestFixture(String description, Supplier<SyncTransportProvider> provider) {
        this.description = description;
        this.provider = provider;
        this.network = "selftest-" + java.util.UUID.randomUUID();
    }

    /** @return the in-memory transport, unwrapped */
    static SelfTestFixture working() {
        return new SelfTestFixture("the in-memory transport", InMemoryTransportProvider::new);
    }

    /**
     * @param breakage how to break it
     * @return the in-memory transport behind a {@link BrokenTransportProvider}
     */
    static SelfTestFixture broken(Breakage breakage) {
        return new SelfTestFixture("the in-memory transport broken by " + breakage,
                () -> new BrokenTransportProvider(new InMemoryTransportProvider(), breakage));
    }

    @Override
    public SyncTransportProvider provider() {
        return provider.get();
    }

    @Override
    public TransportConfig config(String nodeName) {
        return TransportConfig.builder().localPeerId(PeerId.of(nodeName)).property("inmem.network", network).build();
    }

    @Override
    public PeerAddress bindAddress(String nodeName) {
        return PeerAddress.of(nodeName);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.RESET_CODE_DELIVERED, Capability.CLOSE_REASON_DELIVERED);
    }

    @Override
    public Optional<FaultInjector> faults() {
        InMemoryNetwork net = InMemoryNetwork.named(network);
        return Optional.of(new FaultInjector() {
            @Override
            public void killConnections(PeerId a, PeerId b) {
                net.killConnections(a, b);
            }

            @Override
            public void killConnectionsAfterBytes(PeerId from, PeerId to, long bytes) {
                net.killConnectionsAfterBytes(from, to, bytes);
            }
        });
    }

    @Override
    public String toString() {
        return description;
    }
}
