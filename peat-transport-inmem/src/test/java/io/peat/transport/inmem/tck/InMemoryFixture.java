package io.peat.transport.inmem.tck;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.Capability;
import io.peat.tck.FaultInjector;
import io.peat.tck.TransportFixture;
import io.peat.transport.inmem.InMemoryNetwork;
import io.peat.transport.inmem.InMemoryTransportProvider;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The in-memory transport as the kit sees it: one fresh, private network per fixture, node names
 * as peer ids and addresses, faults through {@link InMemoryNetwork}. Shipped in this module's
 * test-jar, so that the kit's self-test can run the same fixture with a wrapped (broken) provider.
 * Used on the JUnit test thread.
 */
public final class InMemoryFixture implements TransportFixture {
    private final String network = "tck-" + UUID.randomUUID();
    /** The idle timeout the fixture gives every endpoint and declares to the kit. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);

    private final String description;
    private final Supplier<SyncTransportProvider> provider;
    private final Duration configuredIdleTimeout;

    /** The in-memory transport as it is. */
    public InMemoryFixture() {
        this("the in-memory transport", InMemoryTransportProvider::new);
    }

    /**
     * @param description names the transport in reports ("the in-memory transport broken by ...")
     * @param provider makes the provider each node uses: the in-memory one, or one wrapping it
     */
    public InMemoryFixture(String description, Supplier<SyncTransportProvider> provider) {
        this(description, provider, IDLE_TIMEOUT);
    }

    /**
     * @param description names the transport in reports
     * @param provider makes the provider each node uses
     * @param configuredIdleTimeout the {@code inmem.idleTimeout} the endpoints really get (0: they
     *     never notice a silent connection); the fixture still declares {@link #IDLE_TIMEOUT}
     */
    public InMemoryFixture(String description, Supplier<SyncTransportProvider> provider, Duration configuredIdleTimeout) {
        this.description = Objects.requireNonNull(description, "description");
        this.provider = Objects.requireNonNull(provider, "provider");
        this.configuredIdleTimeout = Objects.requireNonNull(configuredIdleTimeout, "configuredIdleTimeout");
    }

    @Override
    public SyncTransportProvider provider() {
        return provider.get();
    }

    @Override
    public TransportConfig config(String nodeName) {
        return TransportConfig.builder().localPeerId(PeerId.of(nodeName)).property("inmem.network", network)
                .property("inmem.idleTimeout", configuredIdleTimeout.toMillis() + "ms").build();
    }

    @Override
    public PeerAddress bindAddress(String nodeName) {
        return PeerAddress.of(nodeName);
    }

    @Override
    public Duration idleTimeout() {
        return IDLE_TIMEOUT;
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

            @Override
            public void silenceConnections(PeerId a, PeerId b) {
                net.silenceConnections(a, b);
            }

            @Override
            public String toString() {
                return "InMemoryNetwork[" + network + "] (kill: a network loss both ends see; silence: idle timeout "
                        + configuredIdleTimeout.toMillis() + " ms)";
            }
        });
    }

    @Override
    public String toString() {
        return description;
    }
}
