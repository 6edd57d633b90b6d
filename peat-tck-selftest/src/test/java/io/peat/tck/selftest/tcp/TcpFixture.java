package io.peat.tck.selftest.tcp;

import io.peat.spi.PeerId;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.Capability;
import io.peat.tck.LoopbackTcpFixture;
import java.util.Set;

/**
 * The TCP transport as a transport author hands it to the kit: the kit's {@link LoopbackTcpFixture}
 * (every node on {@code 127.0.0.1:0}, dialed through the kit's TCP fault relay, which is also the
 * fault injector), with this transport's provider, config, capabilities and idle timeout.
 */
final class TcpFixture extends LoopbackTcpFixture {

    @Override
    public SyncTransportProvider provider() {
        return new TcpTransportProvider();
    }

    @Override
    public TransportConfig config(String nodeName) {
        return TransportConfig.builder().localPeerId(PeerId.of(nodeName)).property(TcpTransportProvider.IDLE_TIMEOUT, "2s").build();
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
}
