package io.peat.transport.kwik.tck;

import io.peat.quic.QuicIdentityConfig;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import io.peat.tck.Capability;
import io.peat.tck.LoopbackUdpFixture;
import io.peat.transport.kwik.KwikTransportProvider;
import java.util.Map;
import java.util.Set;

/** The Kwik transport as the kit sees it: an ephemeral identity per node, a UDP fault relay in front of each. */
public final class KwikFixture extends LoopbackUdpFixture {

    private final Map<String, String> properties;

    /** With this fixture's timeouts. */
    public KwikFixture() {
        this(Map.of());
    }

    /**
     * @param properties put into every node's {@link TransportConfig} after this fixture's own (the
     *     runner's {@code --property}; one that changes the idle timeout makes {@link #idleTimeout()} wrong)
     */
    public KwikFixture(Map<String, String> properties) {
        this.properties = Map.copyOf(properties);
    }

    @Override
    public SyncTransportProvider provider() {
        return new KwikTransportProvider();
    }

    @Override
    public TransportConfig config(String nodeName) {
        // Shorter than the defaults (5 s / 1 s) so that the fault clauses (S4) see a dead path sooner. 1.5 s was too
        // tight for a loaded 2-core machine: one kit run in 16 lost a live connection to the idle timeout in T4.1.
        TransportConfig.Builder b = TransportConfig.builder()
                .property(QuicIdentityConfig.IDLE_TIMEOUT, "3s")
                .property(QuicIdentityConfig.KEEP_ALIVE, "500ms");
        properties.forEach(b::property);
        return b.build();
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

    @Override
    public String toString() {
        return "the kwik transport's own kit fixture (a fresh key per node, the kit's UDP relay, idle timeout 3 s" + (properties.isEmpty() ? ")" : ", properties " + properties + ")");
    }
}
