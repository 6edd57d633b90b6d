package io.peat.transport.kwik.tck;

import io.peat.quic.QuicIdentityConfig;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.Capability;
import io.peat.tck.LoopbackUdpFixture;
import io.peat.transport.kwik.KwikTransportProvider;
import java.util.Set;

/** The Kwik transport as the kit sees it: an ephemeral identity per node, a UDP fault relay in front of each. */
public final class KwikFixture extends LoopbackUdpFixture {

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
    public Set<Capability> capabilities() {
        return Set.of(Capability.CLOSE_REASON_DELIVERED);
    }
}
