package io.peat.tck;

import io.peat.spi.PeerAddress;
import io.peat.spi.PeerId;
import io.peat.spi.SyncTransportProvider;
import io.peat.spi.TransportConfig;
import java.util.Optional;
import java.util.Set;

/**
 * What a transport author gives the kit: how to make endpoints of the transport under test.
 *
 * <p>Each test asks for fresh endpoints by node name; the fixture must give every name a distinct
 * peer id and a bind address nobody else uses, so that tests cannot see each other's traffic.
 * JUnit makes a new test instance, and so normally a new fixture, for every test; a fixture that
 * is {@link AutoCloseable} is closed after each test, after everything the test made.
 * Called on the JUnit test thread.
 */
public interface TransportFixture {

    /** @return the provider under test */
    SyncTransportProvider provider();

    /**
     * The provider that makes one node's endpoint. The default is {@link #provider()}: every node
     * runs the transport under test. A fixture that puts the nodes of one test on different
     * transports ({@link InteropFixture}) overrides it.
     *
     * @param nodeName the same name given to {@link #config}
     * @return the provider for that node
     */
    default SyncTransportProvider provider(String nodeName) {
        return provider();
    }

    /**
     * @param nodeName a name unique within one test, e.g. {@code "a"}
     * @return the configuration for that node's endpoint
     */
    TransportConfig config(String nodeName);

    /**
     * @param nodeName the same name given to {@link #config}
     * @return where that node listens
     */
    PeerAddress bindAddress(String nodeName);

    /**
     * The fault clauses (S4) are required: without an injector they fail, saying how to supply
     * one. A transport that cannot kill its connections on command uses the kit's
     * {@link TcpRelayFaults} or {@link UdpRelayFaults} (and returns its address from
     * {@link #dialAddress}).
     *
     * @return a way to break connections on command, or empty when the transport under test has
     *     none (the required fault clauses then fail)
     */
    Optional<FaultInjector> faults();

    /**
     * Where peers dial an endpoint that listens at {@code bound}. The default is {@code bound}
     * itself; a fixture that puts a {@link UdpFaultRelay} or {@link TcpFaultRelay} in front of each
     * endpoint returns the relay's address here, so that its {@link FaultInjector} can cut the path.
     *
     * @param peer the endpoint's peer id
     * @param bound the address it is listening at
     * @return the address to dial it at
     */
    default PeerAddress dialAddress(PeerId peer, PeerAddress bound) {
        return bound;
    }

    /**
     * How long the transport, as this fixture configures it, takes to notice a connection that went
     * silent (its idle timeout, with keep-alives that keep a live connection from reaching it). The
     * dead-peer clauses (T4.3) allow half as much again plus 2 s, never more than the kit's await.
     * The default is the await itself; declare the real value so that the kit holds you to it.
     *
     * @return the idle timeout
     */
    default java.time.Duration idleTimeout() {
        return TckTimeouts.await();
    }

    /** @return the optional behaviour the transport has; the matching {@code optional_...} clauses run */
    default Set<Capability> capabilities() {
        return Set.of();
    }
}
