package io.peat.tck;

/**
 * A base fixture for UDP (QUIC) transports: every node listens on {@code 127.0.0.1:0} and is dialed
 * through the kit's {@link UdpRelayFaults}, which is also the fixture's {@link FaultInjector}
 * (a killed connection is black-holed); the relays stop when the fixture is closed after each test.
 * Subclasses give the provider, the per-node config, the capabilities and the idle timeout. Used on
 * the JUnit test thread.
 */
public abstract non-sealed class LoopbackUdpFixture extends LoopbackRelayFixture {

    /** With a fresh set of UDP relays, started on demand. */
    protected LoopbackUdpFixture() {
        super(new UdpRelayFaults());
    }
}
