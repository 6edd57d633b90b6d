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
        // Shorter than the defaults (5 s / 1 s) so that the fault clauses (S4) see a dead path sooner. 1.5 s was too
        // tight for a loaded 2-core machine: one kit run in 16 lost a live connection to the idle timeout in T4.1.
        return TransportConfig.builder()
                .property(QuicIdentityConfig.IDLE_TIMEOUT, "3s")
                .property(QuicIdentityConfig.KEEP_ALIVE, "500ms")
                .build();
    }

    /** The idle timeout this fixture configures (3 s, keep-alive 500 ms). */
    @Override
    public java.time.Duration idleTimeout() {
        return java.time.Duration.ofSeconds(3);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CLOSE_REASON_DELIVERED);
    }
}
