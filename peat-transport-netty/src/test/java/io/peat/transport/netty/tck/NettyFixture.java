package io.peat.transport.netty.tck;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.Capability;
import io.peat.tck.FaultInjector;
import io.peat.tck.TransportFixture;
import io.peat.tck.UdpRelayFaults;
import io.peat.transport.netty.NettyTransportProvider;
import java.util.Optional;
import java.util.Set;

/**
 * The netty transport as the kit sees it: a fresh ephemeral identity per node (the peer id is
 * derived from the key), loopback with a free port, and the kit's UDP relay in front of every
 * dialed endpoint so that the fault clauses can cut connections.
 */
final class NettyFixture implements TransportFixture, AutoCloseable {
    private final UdpRelayFaults relays = new UdpRelayFaults();

    @Override
    public SyncTransportProvider provider() {
        return new NettyTransportProvider();
    }

    @Override
    public TransportConfig config(String nodeName) {
        return TransportConfig.builder().build();
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

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.RESET_CODE_DELIVERED, Capability.CLOSE_REASON_DELIVERED);
    }

    @Override
    public void close() {
        relays.close();
    }
}
