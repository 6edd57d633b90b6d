package io.peat.transport.kwik.tck;

import io.peat.quic.QuicIdentityConfig;
import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.Capability;
import io.peat.tck.FaultInjector;
import io.peat.tck.TransportFixture;
import io.peat.tck.UdpRelayFaults;
import io.peat.transport.kwik.KwikTransportProvider;
import java.util.Optional;
import java.util.Set;

/** The Kwik transport as the kit sees it: an ephemeral identity per node, a UDP fault relay in front of each. */
public final class KwikFixture implements TransportFixture, AutoCloseable {
    private final UdpRelayFaults relays = new UdpRelayFaults();

    @Override
    public SyncTransportProvider provider() {
        return new KwikTransportProvider();
    }

    @Override
    public TransportConfig config(String nodeName) {
        // Short timeouts so that the fault clauses (S4) see a dead path quickly.
        return TransportConfig.builder()
                .property(QuicIdentityConfig.IDLE_TIMEOUT, "1500ms")
                .property(QuicIdentityConfig.KEEP_ALIVE, "300ms")
                .build();
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
        return Set.of(Capability.CLOSE_REASON_DELIVERED);
    }

    @Override
    public void close() {
        relays.close();
    }
}
