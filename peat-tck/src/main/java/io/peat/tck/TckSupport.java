package io.peat.tck;

import io.peat.spi.PeerAddress;
import io.peat.spi.SyncTransport;
import io.peat.sync.SyncBackend;
import io.peat.sync.SyncConfig;

/**
 * What every clause group of the kit can use: the fixture, and endpoints and backends over the
 * transport under test that are closed after each test. Implemented by {@link TransportTck} and {@link InteropTck};
 * clause groups are interfaces that extend this one and hold the {@code @Test} methods.
 *
 * <p>Called on the JUnit test thread.
 */
public interface TckSupport {

    /** @return the transport under test, as its author describes it */
    TransportFixture fixture();

    /** @return the sync limits the kit's backends use */
    SyncConfig syncConfig();

    /**
     * @param name a node name unique in the test
     * @return a listening backend over the transport under test, closed after the test
     */
    SyncBackend node(String name) throws Exception;

    /**
     * @param name a node name unique in the test
     * @param config the sync limits
     * @return a listening backend, closed after the test
     */
    SyncBackend node(String name, SyncConfig config) throws Exception;

    /**
     * @param name a node name unique in the test
     * @return a bare listening endpoint (no sync layer), closed after the test
     */
    RawEndpoint raw(String name) throws Exception;

    /**
     * @param name a node name unique in the test
     * @return a bare endpoint that does not listen, closed after the test
     */
    RawEndpoint rawClient(String name) throws Exception;

    /**
     * Registers something to close after the test, newest first.
     *
     * @param resource the resource
     * @param <T> its type
     * @return the resource
     */
    <T extends AutoCloseable> T closeAfter(T resource);

    /**
     * @return the fixture's fault injector
     * @throws AssertionError when the fixture has none: the fault clauses are required
     */
    default FaultInjector requireFaults() {
        return fixture().faults().orElseThrow(() -> new AssertionError("this required clause kills connections, and the fixture"
                + " offers no FaultInjector. With the runner jar: pass --network tcp or --network udp (a loopback relay in"
                + " front of each host:port endpoint). In a TransportTck subclass: implement TransportFixture.faults()"
                + " (natively, or with the kit's TcpRelayFaults or UdpRelayFaults)"));
    }

    /**
     * Skips the calling optional clause, with the reason, unless the transport declares the capability.
     *
     * @param capability the capability the clause needs
     */
    default void requireCapability(Capability capability) {
        org.junit.jupiter.api.Assumptions.assumeTrue(fixture().capabilities().contains(capability),
                "optional clause: the transport does not declare " + capability);
    }

    /**
     * Dials {@code to} from {@code from} and waits for the connection.
     *
     * @param from the dialing node
     * @param to the node dialed
     */
    default void connect(SyncBackend from, SyncBackend to) throws Exception {
        TckWaits.get(from.connect(address(to.transport()), to.peerId()));
    }

    /**
     * @param t a listening endpoint
     * @return the address to dial it at: its bound address, or the fixture's way in to it (for
     *     example a fault relay in front of it)
     */
    default PeerAddress address(SyncTransport t) {
        PeerAddress bound = t.localAddress().orElseThrow(() -> new AssertionError(t.localPeerId() + " is not listening"));
        return fixture().dialAddress(t.localPeerId(), bound);
    }
}
