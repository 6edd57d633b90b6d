package io.peat.tck;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import java.util.Objects;
import java.util.Optional;

/**
 * A base fixture for {@code host:port} transports dialed through one of the kit's fault relays:
 * every node listens on {@code 127.0.0.1:0} and is dialed through the relay, which is also the
 * fixture's {@link FaultInjector}; the relays stop when the fixture is closed after each test.
 * Extend {@link LoopbackUdpFixture} (UDP, QUIC) or {@link LoopbackTcpFixture} (TCP); subclasses give
 * the provider, the per-node config, the capabilities and the idle timeout. Used on the JUnit test
 * thread.
 */
public abstract sealed class LoopbackRelayFixture implements TransportFixture, AutoCloseable
        permits LoopbackUdpFixture, LoopbackTcpFixture {
    private final RelayFaults<?> relays;

    LoopbackRelayFixture(RelayFaults<?> relays) {
        this.relays = Objects.requireNonNull(relays, "relays");
    }

    @Override
    public PeerAddress bindAddress(String nodeName) {
        return PeerAddress.of("127.0.0.1:0");
    }

    @Override
    public PeerAddress dialAddress(PeerId peer, PeerAddress bound) {
        return relays.dialAddress(peer, bound);
    }

    @Override
    public Optional<FaultInjector> faults() {
        return Optional.of(relays);
    }

    /** Stops the relays this fixture started. */
    @Override
    public void close() {
        relays.close();
    }
}
