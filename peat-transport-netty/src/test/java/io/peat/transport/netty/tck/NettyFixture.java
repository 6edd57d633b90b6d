package io.peat.transport.netty.tck;

import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.Capability;
import io.peat.tck.LoopbackUdpFixture;
import io.peat.transport.netty.NettyTransportProvider;
import java.util.Map;
import java.util.Set;

/**
 * The netty transport as the kit sees it: a fresh ephemeral identity per node (the peer id is
 * derived from the key), loopback with a free port, and the kit's UDP relay in front of every
 * dialed endpoint so that the fault clauses can cut connections.
 */
public final class NettyFixture extends LoopbackUdpFixture {

    private final Map<String, String> properties;

    /** With netty's defaults. */
    public NettyFixture() {
        this(Map.of());
    }

    /** @param properties put into every node's {@link TransportConfig} (the runner's {@code --property}) */
    public NettyFixture(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
    }

    @Override
    public SyncTransportProvider provider() {
        return new NettyTransportProvider();
    }

    @Override
    public TransportConfig config(String nodeName) {
        TransportConfig.Builder b = TransportConfig.builder();
        properties.forEach(b::property);
        return b.build();
    }

    /** Netty's QUIC default idle timeout (5 s, keep-alive 1 s): this fixture leaves it as it is. */
    @Override
    public java.time.Duration idleTimeout() {
        return java.time.Duration.ofSeconds(5);
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.RESET_CODE_DELIVERED, Capability.CLOSE_REASON_DELIVERED);
    }

    @Override
    public String toString() {
        return "the netty transport's own kit fixture (a fresh key per node, the kit's UDP relay, idle timeout 5 s" + (properties.isEmpty() ? ")" : ", properties " + properties + ")");
    }
}
