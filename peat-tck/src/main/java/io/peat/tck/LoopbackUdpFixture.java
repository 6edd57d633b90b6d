package io.peat.tck;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import java.util.Optional;

/**
 * A base fixture for UDP (QUIC) transports: every node listens on {@code 127.0.0.1:0} and is dialed
 * through the kit's {@link UdpRelayFaults}, which is also the fixture's {@link FaultInjector}; the
 * relays stop when the fixture is closed after each test. Subclasses give the provider, the
 * per-node config and the capabilities. Used on the JUnit test thread.
 */
public abstract class LoopbackUdpFixture implements TransportFixture, AutoCloseable {
    private final UdpRelayFaults relays = new UdpRelayFaults();

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
