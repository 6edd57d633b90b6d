package io.peat.transport.inmem.tck;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.FaultInjector;
import io.peat.tck.TransportFixture;
import io.peat.transport.inmem.InMemoryNetwork;
import io.peat.transport.inmem.InMemoryTransportProvider;
import io.peat.tck.Capability;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The in-memory transport as the kit sees it: one fresh, private network per test. */
final class InMemoryFixture implements TransportFixture {
    private final String network = "tck-" + UUID.randomUUID();

    @Override
    public SyncTransportProvider provider() {
        return new InMemoryTransportProvider();
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
}
