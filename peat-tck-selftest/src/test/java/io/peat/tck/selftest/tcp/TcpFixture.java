package io.peat.tck.selftest.tcp;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.Capability;
import io.peat.tck.FaultInjector;
import io.peat.tck.TcpRelayFaults;
import io.peat.tck.TransportFixture;
import java.util.Optional;
import java.util.Set;

/**
 * The TCP transport as a transport author hands it to the kit: every node listens on
 * {@code 127.0.0.1:0} and is dialed through the kit's {@link TcpRelayFaults}, which is also the
 * fault injector; the relays stop when the fixture is closed after each test.
 */
final class TcpFixture implements TransportFixture, AutoCloseable {
    private final TcpRelayFaults relays = new TcpRelayFaults();

    @Override
    public SyncTransportProvider provider() {
        return new TcpTransportProvider();
    }

    @Override
    public TransportConfig config(String nodeName) {
        return TransportConfig.builder().localPeerId(PeerId.of(nodeName)).property(TcpTransportProvider.IDLE_TIMEOUT, "2s").build();
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

    /** The idle timeout this fixture configures. */
    @Override
    public java.time.Duration idleTimeout() {
        return java.time.Duration.ofSeconds(2);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CLOSE_REASON_DELIVERED, Capability.RESET_CODE_DELIVERED);
    }

    @Override
    public void close() {
        relays.close();
    }
}
